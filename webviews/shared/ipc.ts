// The only module of the webviews that talks to the host: acquireVsCodeApi(), postMessage and the
// persisted state go through here. Every incoming message is validated with its protocol schema;
// requests carry an id and a timeout. No DOM types: unit tests run it in node with fakes.
import {
  dispatch, type MessageHandlers, type RequestBody, type RequestOf, type ResponseMessage,
} from '../protocol/common';

/** The part of the object `acquireVsCodeApi()` returns that Hangar uses. */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** Where host messages arrive (the webview's window). */
export interface MessageSource {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** Any zod (or zod/mini) schema. */
export interface Schema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

type Message = { type: string };
type Incoming<In extends Message> = Exclude<In, ResponseMessage>;

export interface IpcOptions<In extends Message, Out extends Message, S> {
  incoming: Schema<In>;
  outgoing: Schema<Out>;
  state: Schema<S>;
  api?: VsCodeApi;
  source?: MessageSource;
  /** How long a request waits for the host's response. */
  timeoutMs?: number;
  /** A message that failed validation (dropped); the default logs to the console. */
  onInvalid?(problem: string): void;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;
let acquired: VsCodeApi | undefined;

/** acquireVsCodeApi() may be called once per page; every Ipc shares the one result. */
function vscodeApi(): VsCodeApi {
  if (typeof acquireVsCodeApi !== 'function') throw new Error('not running inside a VS Code webview');
  return (acquired ??= acquireVsCodeApi());
}

interface Pending { resolve(): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }

export class Ipc<In extends Message, Out extends Message, S> {
  private readonly api: VsCodeApi;
  private readonly source: MessageSource;
  private readonly pending = new Map<string, Pending>();
  private handlers: MessageHandlers<Incoming<In>> | undefined;
  private nextId = 1;
  private readonly idPrefix = Math.random().toString(36).slice(2, 8);
  private readonly onMessage = (event: { data: unknown }): void => this.receive(event.data);

  constructor(private readonly options: IpcOptions<In, Out, S>) {
    this.api = options.api ?? vscodeApi();
    this.source = options.source ?? (globalThis as unknown as MessageSource);
    this.source.addEventListener('message', this.onMessage);
  }

  /** Handles every host message except responses (this module settles those). */
  listen(handlers: MessageHandlers<Incoming<In>>): void {
    this.handlers = handlers;
  }

  /** A message that expects no answer (like `ready`). */
  post(message: Exclude<Out, RequestOf<Out>>): void {
    this.send(message);
  }

  /** Sends a request and settles with the host's response: rejects on `ok: false` or after the timeout. */
  request(body: RequestBody<Out>, timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS): Promise<void> {
    const requestId = `${this.idPrefix}-${this.nextId++}`;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`the extension did not answer "${(body as Message).type}" within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      try {
        this.send({ ...(body as object), requestId } as unknown as Out);
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(requestId);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** The persisted UI state, or undefined when there is none or it does not match the schema (old version). */
  getState(): S | undefined {
    const raw = this.api.getState();
    if (raw === undefined || raw === null) return undefined;
    const parsed = this.options.state.safeParse(raw);
    if (!parsed.success) {
      this.invalid(`ignoring persisted state that does not match the current version: ${parsed.error.message}`);
      return undefined;
    }
    return parsed.data;
  }

  setState(state: S): void {
    const parsed = this.options.state.safeParse(state);
    if (!parsed.success) throw new Error(`refusing to persist invalid state: ${parsed.error.message}`);
    this.api.setState(parsed.data);
  }

  dispose(): void {
    this.source.removeEventListener('message', this.onMessage);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error('the webview is closing'));
      this.pending.delete(id);
    }
  }

  private send(message: Out): void {
    const parsed = this.options.outgoing.safeParse(message);
    if (!parsed.success) throw new Error(`invalid message to the extension: ${parsed.error.message}`);
    this.api.postMessage(parsed.data);
  }

  private receive(data: unknown): void {
    const parsed = this.options.incoming.safeParse(data);
    if (!parsed.success) {
      this.invalid(`dropped an invalid message from the extension: ${parsed.error.message}`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'response') {
      this.settle(message as unknown as ResponseMessage);
      return;
    }
    if (!this.handlers) {
      this.invalid(`no handlers yet for "${message.type}"`);
      return;
    }
    dispatch(this.handlers, message as Incoming<In>);
  }

  private settle(response: ResponseMessage): void {
    const pending = this.pending.get(response.requestId);
    if (!pending) return; // timed out already
    this.pending.delete(response.requestId);
    clearTimeout(pending.timer);
    if (response.ok) pending.resolve();
    else pending.reject(new Error(response.error ?? 'the extension could not do it'));
  }

  private invalid(problem: string): void {
    if (this.options.onInvalid) this.options.onInvalid(problem);
    else console.warn(`[hangar webview] ${problem}`);
  }
}
