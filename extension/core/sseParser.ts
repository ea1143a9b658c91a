/**
 * An incremental parser of text/event-stream, as the WHATWG HTML spec defines it: feed it chunks of
 * bytes as they arrive; it calls back once per complete frame. Handles CRLF, CR and LF line endings,
 * chunks split anywhere (even inside a UTF-8 sequence), comments and the `retry:` field.
 */
export interface SseFrame {
  /** The last `id:` seen on this stream (ids persist across frames, as the spec says). */
  id: string | undefined;
  event: string;
  data: string;
}

export interface SseHandlers {
  onFrame(frame: SseFrame): void;
  onComment?(text: string): void;
  onRetry?(ms: number): void;
}

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  private pendingCr = false;
  private data: string[] = [];
  private event = '';
  private hasData = false;
  lastEventId: string | undefined;

  constructor(private readonly handlers: SseHandlers) {}

  feed(chunk: Uint8Array | string): void {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (this.buffer.length === 0 && this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const ch = this.buffer.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      this.line(this.buffer.slice(start, i));
      if (ch === 13) {
        if (i + 1 < this.buffer.length) {
          if (this.buffer.charCodeAt(i + 1) === 10) i++;
        } else {
          // A CR at the very end: a following LF belongs to the same line break.
          this.pendingCr = true;
        }
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
  }

  /** Drops a half-received frame (the connection broke); keeps lastEventId. */
  reset(): void {
    this.buffer = '';
    this.pendingCr = false;
    this.data = [];
    this.event = '';
    this.hasData = false;
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) {
      this.handlers.onComment?.(line.slice(1).replace(/^ /, ''));
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        this.hasData = true;
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.handlers.onRetry?.(Number(value));
        break;
      default:
        // Unknown fields are ignored, per the spec.
        break;
    }
  }

  private dispatch(): void {
    if (this.hasData) {
      this.handlers.onFrame({ id: this.lastEventId, event: this.event || 'message', data: this.data.join('\n') });
    }
    this.data = [];
    this.event = '';
    this.hasData = false;
  }
}
