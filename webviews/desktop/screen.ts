// One noVNC session at a time on a DOM element, with the reconnect policy: every connection uses a URL
// (one-use ticket) the host just issued; after a drop it asks for a fresh one after a short delay.
import RFB from '@novnc/novnc';
import type { DesktopConnectionState } from '../protocol/desktop';
import { dropMessage, gaveUpMessage, MAX_RECONNECTS, reconnectDelay } from './reconnect';

/** How often a desktop that cannot be had (project stopped) is asked for again without a nudge. */
const SLOW_RETRY_MS = 15_000;

export interface ScreenEvents {
  /** Ask the host for a fresh websocket URL (it answers with connect(url) or unavailable()). */
  requestTicket(reason: 'open' | 'reconnect'): void;
  onState(state: DesktopConnectionState, detail?: string): void;
  /** Retries are spent (or the desktop needs a redeploy): the panel shows the reason and a button. */
  onGaveUp?(message: string, action: 'retry' | 'redeploy'): void;
}

export interface ScreenOptions {
  viewOnly: boolean;
  scale: 'fit' | 'native';
}

export class Screen {
  private rfb: RFB | undefined;
  private connected = false;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private lastDetail: string | undefined;
  connects = 0;
  width: number | undefined;
  height: number | undefined;

  constructor(private readonly target: HTMLElement, private readonly events: ScreenEvents, private options: ScreenOptions) {}

  start(): void {
    this.events.onState('connecting');
    this.events.requestTicket('open');
  }

  /** A fresh ticketed URL from the host. */
  connect(url: string): void {
    if (this.closed) return;
    this.clearTimer();
    this.teardown();
    this.events.onState('connecting');
    const rfb = new RFB(this.target, url, { shared: true, wsProtocols: ['binary'] });
    rfb.background = 'var(--vscode-editor-background)';
    rfb.focusOnClick = true;
    this.apply(rfb);
    rfb.addEventListener('connect', () => {
      if (this.rfb !== rfb) return;
      this.connected = true;
      this.failures = 0;
      this.connects++;
      const canvas = this.canvas();
      this.width = canvas?.width;
      this.height = canvas?.height;
      this.events.onState('connected');
    });
    rfb.addEventListener('disconnect', (e) => {
      if (this.rfb !== rfb) return;
      const clean = Boolean((e as CustomEvent<{ clean?: boolean }>).detail?.clean);
      const was = this.connected;
      this.connected = false;
      this.rfb = undefined;
      if (this.closed) return;
      this.lastDetail = dropMessage(clean, was);
      this.events.onState('disconnected', this.lastDetail);
      this.retry();
    });
    rfb.addEventListener('securityfailure', (e) => {
      const reason = (e as CustomEvent<{ reason?: string }>).detail?.reason;
      this.events.onState('disconnected', `The VNC server refused the session${reason ? `: ${reason}` : ''}.`);
    });
    this.rfb = rfb;
  }

  /** No ticket now: say why, and (when it may change by itself) ask again later. */
  unavailable(message: string, retry: boolean, action?: 'redeploy'): void {
    this.teardown();
    this.lastDetail = message;
    this.events.onState('unavailable', message);
    if (action === 'redeploy') {
      // Nothing changes by itself: no timer; a status change (the redeploy) nudges.
      this.clearTimer();
      this.events.onGaveUp?.(message, 'redeploy');
      return;
    }
    // Transient problems back off quickly; the rest wait for a status change (nudge), checked now and then.
    this.retry(retry ? undefined : SLOW_RETRY_MS);
  }

  /** The project came back (running again): try at once instead of waiting out the backoff. */
  nudge(): void {
    if (this.connected || this.closed) return;
    this.clearTimer();
    this.failures = 0;
    this.events.onState('connecting');
    this.events.requestTicket('reconnect');
  }

  setOptions(options: ScreenOptions): void {
    this.options = options;
    if (this.rfb) this.apply(this.rfb);
  }

  ctrlAltDel(): void { this.rfb?.sendCtrlAltDel(); }
  paste(text: string): void { this.rfb?.clipboardPasteFrom(text); }
  focus(): void { this.rfb?.focus(); }

  /** The screen as PNG, base64 without the data: prefix. */
  screenshot(): string | undefined {
    const url = this.rfb?.toDataURL('image/png');
    return url?.slice(url.indexOf(',') + 1);
  }

  /** noVNC's canvas: its backing store is the framebuffer, whatever the CSS scale. */
  canvas(): HTMLCanvasElement | undefined {
    return this.target.querySelector('canvas') ?? undefined;
  }

  get isConnected(): boolean { return this.connected; }

  dispose(): void {
    this.closed = true;
    this.clearTimer();
    this.teardown();
  }

  private apply(rfb: RFB): void {
    rfb.viewOnly = this.options.viewOnly;
    rfb.scaleViewport = this.options.scale === 'fit';
    rfb.clipViewport = false;
    rfb.resizeSession = false;
  }

  private retry(fixedDelay?: number): void {
    this.clearTimer();
    if (fixedDelay === undefined && this.failures >= MAX_RECONNECTS) {
      this.events.onState('unavailable', gaveUpMessage(this.failures, this.lastDetail));
      this.events.onGaveUp?.(gaveUpMessage(this.failures, this.lastDetail), 'retry');
      return;
    }
    const delay = fixedDelay ?? reconnectDelay(this.failures++);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.events.onState('connecting');
      this.events.requestTicket('reconnect');
    }, delay);
  }

  private teardown(): void {
    const rfb = this.rfb;
    this.rfb = undefined;
    this.connected = false;
    if (rfb) {
      try { rfb.disconnect(); } catch { /* already closed */ }
    }
    // noVNC leaves its container div behind after disconnect.
    this.target.replaceChildren();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
