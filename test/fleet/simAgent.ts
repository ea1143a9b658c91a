// One simulated opencode agent: sessions, a scripted turn streamed as opencode's events, permission
// requests and their replies. Plain state, no I/O: simServer.ts gives each agent its routes and its
// /event subscribers. The shapes follow opencode 1.18.33 (checked against the real `opencode serve`
// by test/integration/fleet/simContract.test.ts); only the subset Hangar uses is here.

export interface SimEvent {
  id: string;
  type: string;
  properties: Record<string, unknown>;
}

export interface SimTurnOptions {
  /** Text chunks of the assistant's answer (each one message.part.delta). */
  chunks: number;
  /** Time between streamed chunks. */
  chunkMs: number;
}

interface Session {
  id: string;
  slug: string;
  projectID: string;
  directory: string;
  title: string;
  version: string;
  time: { created: number; updated: number };
}

interface Message {
  info: Record<string, unknown> & { id: string; role: 'user' | 'assistant' };
  parts: Record<string, unknown>[];
}

interface Permission {
  id: string;
  sessionID: string;
  permission: string;
  patterns: string[];
  metadata: Record<string, unknown>;
  always: string[];
  resolve: (reply: 'once' | 'always' | 'reject') => void;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
let counter = 0;

/** An opencode-like id: prefix, time-ordered hex, a random tail (letters and digits only). */
export function simId(prefix: string): string {
  counter = (counter + 1) % 0xfffff;
  let tail = '';
  for (let i = 0; i < 14; i++) tail += ALNUM[Math.floor(Math.random() * ALNUM.length)];
  return `${prefix}_${Date.now().toString(16)}${counter.toString(16).padStart(5, '0')}${tail}`;
}

const VERSION = '1.18.33';
const MODEL = { providerID: 'sim', modelID: 'sim-model' };
const ZERO_TOKENS = { input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } };

/** A prompt whose text starts with this asks for a `bash` permission first (the command follows). */
export const ASK_PREFIX = 'bash:';

export class SimAgent {
  private readonly sessions = new Map<string, Session>();
  private readonly messages = new Map<string, Message[]>();
  private readonly busy = new Set<string>();
  private readonly aborts = new Map<string, () => void>();
  readonly permissions = new Map<string, Permission>();
  private readonly subscribers = new Set<(e: SimEvent) => void>();
  config: Record<string, unknown> = {};

  constructor(readonly id: string, readonly password: string, readonly directory: string, private readonly turn: SimTurnOptions) {}

  subscribe(fn: (e: SimEvent) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  private emit(type: string, properties: Record<string, unknown>): void {
    const event = { id: simId('evt'), type, properties };
    for (const fn of this.subscribers) fn(event);
  }

  listSessions(): Session[] {
    return [...this.sessions.values()].sort((a, b) => b.time.updated - a.time.updated);
  }

  session(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  createSession(title?: string): Session {
    const now = Date.now();
    const id = simId('ses');
    const s: Session = {
      id, slug: id.slice(4, 16).toLowerCase(), projectID: 'global', directory: this.directory,
      title: title ?? `New session - ${new Date(now).toISOString()}`, version: VERSION, time: { created: now, updated: now },
    };
    this.sessions.set(id, s);
    this.messages.set(id, []);
    this.emit('session.created', { sessionID: id, info: s });
    this.emit('session.updated', { sessionID: id, info: s });
    return s;
  }

  renameSession(id: string, title: string): Session | undefined {
    const s = this.sessions.get(id);
    if (!s) return undefined;
    s.title = title;
    s.time.updated = Date.now();
    this.emit('session.updated', { sessionID: id, info: s });
    return s;
  }

  deleteSession(id: string): boolean {
    const s = this.sessions.get(id);
    if (!s) return false;
    this.aborts.get(id)?.();
    this.sessions.delete(id);
    this.messages.delete(id);
    this.emit('session.deleted', { sessionID: id, info: s });
    return true;
  }

  transcript(id: string, limit?: number): Message[] | undefined {
    const all = this.messages.get(id);
    if (!all) return undefined;
    return limit ? all.slice(-limit) : all;
  }

  status(): Record<string, { type: 'busy' }> {
    return Object.fromEntries([...this.busy].map((id) => [id, { type: 'busy' as const }]));
  }

  pendingPermissions(): Omit<Permission, 'resolve'>[] {
    return [...this.permissions.values()].map(({ resolve: _r, ...p }) => p);
  }

  replyPermission(id: string, reply: 'once' | 'always' | 'reject'): boolean {
    const p = this.permissions.get(id);
    if (!p) return false;
    this.permissions.delete(id);
    this.emit('permission.replied', { sessionID: p.sessionID, requestID: id, reply });
    p.resolve(reply);
    return true;
  }

  abort(sessionId: string): boolean {
    const stop = this.aborts.get(sessionId);
    stop?.();
    return this.sessions.has(sessionId);
  }

  /** prompt_async: the turn runs after the 204; a second prompt while busy waits for the first. */
  prompt(sessionId: string, text: string): boolean {
    if (!this.sessions.has(sessionId)) return false;
    void this.runTurn(sessionId, text);
    return true;
  }

  private async runTurn(sessionID: string, text: string): Promise<void> {
    while (this.busy.has(sessionID)) await new Promise((r) => setTimeout(r, this.turn.chunkMs || 5));
    const transcript = this.messages.get(sessionID);
    if (!transcript) return;
    this.busy.add(sessionID);
    let aborted = false;
    let wake: (() => void) | undefined;
    this.aborts.set(sessionID, () => { aborted = true; wake?.(); });
    const wait = (ms: number) => new Promise<void>((r) => { wake = r; setTimeout(r, ms); });
    const now = () => Date.now();
    const userInfo = { id: simId('msg'), sessionID, role: 'user' as const, time: { created: now() }, agent: 'build', model: MODEL };
    const userPart = { id: simId('prt'), sessionID, messageID: userInfo.id, type: 'text', text };
    transcript.push({ info: userInfo, parts: [userPart] });
    this.emit('message.updated', { sessionID, info: userInfo });
    this.emit('message.part.updated', { sessionID, part: userPart, time: now() });
    this.emit('session.status', { sessionID, status: { type: 'busy' } });
    const info: Message['info'] = {
      id: simId('msg'), sessionID, role: 'assistant', time: { created: now() }, parentID: userInfo.id,
      modelID: MODEL.modelID, providerID: MODEL.providerID, mode: 'build', agent: 'build',
      path: { cwd: this.directory, root: this.directory }, cost: 0, tokens: ZERO_TOKENS,
    };
    const parts: Record<string, unknown>[] = [];
    transcript.push({ info, parts });
    this.emit('message.updated', { sessionID, info });
    const part = (p: Record<string, unknown>): Record<string, unknown> => {
      const full: Record<string, unknown> = { id: simId('prt'), sessionID, messageID: info.id, ...p };
      parts.push(full);
      this.emit('message.part.updated', { sessionID, part: full, time: now() });
      return full;
    };
    part({ type: 'step-start' });
    if (text.startsWith(ASK_PREFIX)) {
      const command = text.slice(ASK_PREFIX.length).trim();
      const request = { id: simId('per'), sessionID, permission: 'bash', patterns: [command], metadata: { command }, always: [`${command.split(' ')[0]} *`] };
      const reply = await new Promise<'once' | 'always' | 'reject'>((resolve) => {
        this.permissions.set(request.id, { ...request, resolve });
        this.emit('permission.asked', request);
        this.aborts.set(sessionID, () => { aborted = true; this.permissions.delete(request.id); resolve('reject'); });
      });
      if (reply === 'reject') aborted = true;
    }
    const textPart = aborted ? undefined : part({ type: 'text', text: '', time: { start: now() } });
    let answer = '';
    for (let i = 0; textPart && i < this.turn.chunks && !aborted; i++) {
      await wait(this.turn.chunkMs);
      if (aborted) break;
      // The chunk carries when it was sent, so a client can time delivery (test/bench/fleet.ts).
      const delta = `chunk ${i} at ${now()}. `;
      answer += delta;
      textPart.text = answer;
      this.emit('message.part.delta', { sessionID, messageID: info.id, partID: textPart.id, field: 'text', delta });
    }
    if (textPart) {
      (textPart.time as { end?: number }).end = now();
      this.emit('message.part.updated', { sessionID, part: textPart, time: now() });
    }
    if (aborted) {
      const error = { name: 'MessageAbortedError', data: { message: 'The operation was aborted.' } };
      info.error = error;
      this.emit('session.error', { sessionID, error });
    } else {
      part({ type: 'step-finish', reason: 'stop', cost: 0, tokens: { total: 0, ...ZERO_TOKENS } });
    }
    info.time = { created: (info.time as { created: number }).created, completed: now() };
    if (!aborted) info.finish = 'stop';
    this.emit('message.updated', { sessionID, info });
    const s = this.sessions.get(sessionID);
    if (s) {
      s.time.updated = now();
      this.emit('session.updated', { sessionID, info: s });
    }
    this.busy.delete(sessionID);
    this.aborts.delete(sessionID);
    this.emit('session.status', { sessionID, status: { type: 'idle' } });
    this.emit('session.idle', { sessionID });
  }

  /** Ends every turn (the agent is being removed). */
  close(): void {
    for (const stop of this.aborts.values()) stop();
    this.subscribers.clear();
  }
}
