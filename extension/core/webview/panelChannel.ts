// The host side of one webview's messages, shared by every panel. No vscode import: it takes the
// webview's two message functions, so it is unit-tested in node.
import type { MessageHandlers, ResponseMessage } from '../../../webviews/protocol/common';
import type { Disposable, Logger } from '../ports';

/** The part of vscode.Webview the channel uses. */
export interface WebviewPort {
  postMessage(message: unknown): PromiseLike<boolean>;
  onDidReceiveMessage(listener: (message: unknown) => void): Disposable;
}

export interface Schema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

type Message = { type: string };
type Handled<In extends Message> = Exclude<In, { type: 'ready' }>;

/**
 * Handlers for every message but `ready` (the channel handles it). A request's handler settles the
 * webview's request: resolving answers `ok: true`, throwing answers `ok: false` with the error's message.
 */
export type PanelHandlers<In extends Message> = MessageHandlers<Handled<In>, unknown>;

export interface PanelChannelOptions<In extends Message, Out extends Message> {
  name: string;
  incoming: Schema<In>;
  outgoing: Schema<Out>;
  handlers: PanelHandlers<In>;
  log: Logger;
  /** Each `ready` (the first, and again after the webview was reloaded). */
  onReady?(): void;
}

/**
 * Validates every incoming message, waits for `ready` before posting, and keeps the latest state so
 * a webview that (re)loads gets it at once. Only the latest state matters: states posted before
 * `ready` replace each other instead of queueing.
 */
export class PanelChannel<In extends Message, Out extends Message> implements Disposable {
  private _ready = false;
  private latest: Out | undefined;
  private _readyCount = 0;
  private readonly subscription: Disposable;

  constructor(private readonly port: WebviewPort, private readonly options: PanelChannelOptions<In, Out>) {
    this.subscription = port.onDidReceiveMessage((m) => void this.receive(m));
  }

  get ready(): boolean { return this._ready; }
  /** How many times the webview said `ready` (more than once after reloads). */
  get readyCount(): number { return this._readyCount; }
  /** The last state handed to postState (posted, or waiting for `ready`). */
  get lastState(): Out | undefined { return this.latest; }

  /** Sends the panel's whole state now, or when the webview is ready. */
  postState(message: Out): void {
    this.latest = message;
    if (this._ready) this.send(message);
  }

  /**
   * Sends one message now if the webview is ready; otherwise drops it (streamed updates: whoever
   * posts them sends the whole picture again on the next `ready`).
   */
  post(message: Out): boolean {
    if (!this._ready) return false;
    this.send(message);
    return true;
  }

  /** The webview reloads its document (hidden and shown again, or new HTML): wait for `ready` again. */
  reset(): void {
    this._ready = false;
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = this.options.incoming.safeParse(raw);
    if (!parsed.success) {
      this.options.log.warn(`${this.options.name} webview: dropped an invalid message: ${parsed.error.message}`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'ready') {
      this._ready = true;
      this._readyCount++;
      if (this.latest) this.send(this.latest);
      this.options.onReady?.();
      return;
    }
    const handled = message as Handled<In>;
    const handler = this.options.handlers[handled.type as Handled<In>['type']] as (m: Handled<In>) => unknown;
    const requestId = (message as { requestId?: string }).requestId;
    try {
      await handler(handled);
      if (requestId) this.respond({ type: 'response', requestId, ok: true });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.options.log.warn(`${this.options.name} webview: "${message.type}" failed: ${error}`);
      if (requestId) this.respond({ type: 'response', requestId, ok: false, error });
    }
  }

  private respond(response: ResponseMessage): void {
    // Every Out union includes ResponseMessage (the protocol composes it in); send() validates that.
    this.send(response as unknown as Out);
  }

  private send(message: Out): void {
    const parsed = this.options.outgoing.safeParse(message);
    const { log, name } = this.options;
    if (!parsed.success) {
      log.error(`${name} webview: not sending an invalid "${message.type}": ${parsed.error.message}`);
      return;
    }
    this.port.postMessage(parsed.data).then(
      (delivered) => {
        if (!delivered) log.debug(`${name} webview: "${message.type}" not delivered (hidden or closed)`);
      },
      (e: unknown) => log.warn(`${name} webview: posting "${message.type}" failed: ${String(e)}`),
    );
  }
}
