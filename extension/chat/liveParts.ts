// The text of parts still streaming, as the host received it. opencode saves a text part's text only
// when the part ends, so a transcript read over REST mid-turn has it empty or short: a webview that
// (re)loads then would show only what streams after. The host patches its transcript with this copy.
import type { ChatHostToWebview, ChatMessage } from '../../webviews/protocol/chat';

interface Live { sessionId: string; text: string }

export class LiveParts {
  private readonly parts = new Map<string, Live>();

  /**
   * Every message posted (or not) for any session: text parts and deltas are followed, an idle session is
   * forgotten.
   */
  track(m: ChatHostToWebview): void {
    switch (m.type) {
      case 'chat.part': {
        const p = m.part as { type: string; text?: unknown };
        if ((p.type === 'text' || p.type === 'reasoning') && typeof p.text === 'string') {
          const live = this.parts.get(m.part.id);
          // A full update that overtook buffered deltas keeps the longer copy.
          if (!live || !live.text.startsWith(p.text)) {
            this.parts.set(m.part.id, { sessionId: m.sessionId, text: p.text });
          }
        }
        return;
      }
      case 'chat.delta': {
        const live = this.parts.get(m.partId);
        if (live) live.text += m.delta;
        return;
      }
      case 'chat.status':
        if (m.status.type !== 'idle') return;
        for (const [id, p] of this.parts) if (p.sessionId === m.sessionId) this.parts.delete(id);
        return;
      default:
    }
  }

  /** The transcript with each streaming part's text as far as it has streamed (when the saved copy is behind). */
  patch(messages: ChatMessage[]): ChatMessage[] {
    if (this.parts.size === 0) return messages;
    for (const m of messages) {
      for (let i = 0; i < m.parts.length; i++) {
        const part = m.parts[i] as { id: string; text?: unknown };
        const live = this.parts.get(part.id);
        const saved = part.text;
        if (live && typeof saved === 'string' && live.text.length > saved.length && live.text.startsWith(saved)) {
          m.parts[i] = { ...m.parts[i]!, text: live.text } as ChatMessage['parts'][number];
        }
      }
    }
    return messages;
  }
}
