// The virtualised transcript: only the rows near the viewport are in the DOM. Row heights are
// measured (ResizeObserver) and cached by message id; unmeasured rows use an estimate. It sticks to
// the bottom while the agent streams unless the user scrolled up, and keeps what is on screen still
// when rows above it change height.
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useReducer, useRef } from 'preact/hooks';
import type { ChatScroll } from '../protocol/chat';
import { MessageRow } from './MessageRow';
import { HeightCache, isAtBottom } from './store/layout';
import { answeredByCall, partsOf } from './store/selectors';
import type { SessionState } from './store/state';

export interface TranscriptProps {
  session: SessionState;
  /** the session's revision: a new value re-renders */
  rev: number;
  streaming: boolean;
  initialScroll: ChatScroll | undefined;
  onScrollChange(scroll: ChatScroll): void;
  onLoadOlder(): void;
  /** rendered after the messages (permission cards, status, errors); not virtualised */
  footer: ComponentChildren;
  /** changes when the user sends a prompt: the view goes back to the bottom */
  sent: number;
}

function estimate(s: SessionState) {
  return (id: string): number => {
    const e = s.messages.get(id);
    if (!e) return 80;
    let chars = 0;
    for (const pid of e.partIds) {
      const p = s.parts.get(pid) as { text?: unknown } | undefined;
      if (p && typeof p.text === 'string') chars += Math.min(p.text.length, 20_000);
      else chars += 60;
    }
    return e.info.role === 'user' ? 56 + Math.ceil(chars / 90) * 20 : 64 + Math.ceil(chars / 100) * 21;
  };
}

export function Transcript({ session, rev, streaming, initialScroll, onScrollChange, onLoadOlder, footer, sent }: TranscriptProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const cache = useMemo(() => new HeightCache(estimate(session)), [session]);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const stick = useRef(initialScroll === undefined || initialScroll.atBottom);
  const view = useRef({ top: 0, height: 600 });
  const restored = useRef(false);
  const firstId = useRef<string | undefined>(undefined);
  const anchor = useRef<{ id: string; offset: number } | null>(null);
  const order = session.order;
  cache.setKeys(order);

  // Stuck to the bottom, the window is computed from the end: scrollTop may still be stale (it is
  // clamped by the browser after the content height changes).
  const top = stick.current ? Math.max(0, cache.total - view.current.height) : view.current.top;
  const { start, end } = cache.window(top, view.current.height);
  const padTop = cache.offsetOf(start);
  const padBottom = cache.total - cache.offsetOf(end);

  // Re-renders wait for the next frame: a layout pass that re-rendered synchronously could flip
  // between two windows forever (their rows' real heights differ from the estimates).
  const frame = useRef(0);
  const later = () => {
    if (!frame.current) frame.current = requestAnimationFrame(() => { frame.current = 0; redraw(0); });
  };
  useEffect(() => () => cancelAnimationFrame(frame.current), []);
  const firstSent = useRef(sent);
  useEffect(() => {
    if (sent === firstSent.current) return;
    stick.current = true;
    later();
  }, [sent]);

  // Rows that change height later (a card opened, a streamed token): a row above the viewport that
  // changed shifts the scroll position by as much, so the content in view does not jump.
  const observer = useMemo(() => typeof ResizeObserver === 'undefined' ? null : new ResizeObserver((entries) => {
    const el = scroller.current;
    let changed = false;
    let shift = 0;
    for (const e of entries) {
      const key = (e.target as HTMLElement).dataset['key'];
      if (!key) continue;
      const before = cache.heightOf(key);
      const h = (e.target as HTMLElement).offsetHeight;
      if (cache.measure(key, h)) {
        changed = true;
        const idx = order.indexOf(key);
        if (el && !stick.current && idx >= 0 && cache.offsetOf(idx) + before <= el.scrollTop) shift += h - before;
      }
    }
    if (!changed) return;
    if (el && shift) el.scrollTop += shift;
    later();
  }), [cache, order]);
  useEffect(() => () => observer?.disconnect(), [observer]);

  const rowRef = (el: HTMLElement | null) => {
    if (el && observer) observer.observe(el);
  };

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    view.current.height = el.clientHeight;
    // Measure what was just rendered, at once: the next layout uses real heights.
    let changed = false;
    for (const row of el.querySelectorAll<HTMLElement>('.rows > .row')) {
      if (cache.measure(row.dataset['key'] ?? '', row.offsetHeight)) changed = true;
    }
    // An older page was put above: what was in view stays in view. The rows above are estimates
    // until measured, so the position is corrected on each pass until the anchor row sits still.
    const previousFirst = firstId.current;
    firstId.current = order[0];
    if (previousFirst && previousFirst !== order[0] && !stick.current && order.indexOf(previousFirst) > 0) {
      anchor.current = { id: previousFirst, offset: el.scrollTop };
    }
    if (anchor.current) {
      const target = cache.offsetOf(order.indexOf(anchor.current.id)) + anchor.current.offset;
      const rendered = el.querySelector(`.rows > .row[data-key="${CSS.escape(anchor.current.id)}"]`);
      if (Math.abs(el.scrollTop - target) > 1) {
        el.scrollTop = target;
        changed = true;
      } else if (rendered) {
        anchor.current = null;
      }
    }
    if (!restored.current && order.length) {
      restored.current = true;
      if (initialScroll && !initialScroll.atBottom) {
        const idx = order.indexOf(initialScroll.messageId);
        if (idx >= 0) el.scrollTop = cache.offsetOf(idx) + initialScroll.offset;
      }
    }
    if (stick.current) el.scrollTop = el.scrollHeight;
    if (Math.abs(view.current.top - el.scrollTop) > 1) {
      view.current.top = el.scrollTop;
      changed = true;
    }
    if (changed) later();
  });

  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      view.current.height = el.clientHeight;
      later();
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    view.current = { top: el.scrollTop, height: el.clientHeight };
    stick.current = isAtBottom(el.scrollTop, el.clientHeight, el.scrollHeight);
    if (el.scrollTop < 200 && session.hasOlder) onLoadOlder();
    const idx = cache.indexAt(el.scrollTop);
    const id = order[idx];
    onScrollChange(stick.current || !id ? { atBottom: true } : { atBottom: false, messageId: id, offset: Math.round(el.scrollTop - cache.offsetOf(idx)) });
    later();
  };

  const rows = [];
  for (let i = start; i < end; i++) {
    const id = order[i]!;
    const entry = session.messages.get(id);
    if (!entry) continue;
    rows.push(
      <div key={id} data-key={id} ref={rowRef} class="row">
        <MessageRow entry={entry} parts={partsOf(session, entry)} answered={answeredByCall(session, id)} rev={entry.rev} />
      </div>,
    );
  }

  return (
    <div class="transcript" ref={scroller} onScroll={onScroll} role="log" aria-live="polite" aria-busy={streaming} aria-label="Conversation" data-rev={rev}>
      {session.hasOlder && <div class="older"><button type="button" class="hg-link-button" onClick={onLoadOlder}>Load earlier messages</button></div>}
      <div class="rows" style={{ paddingTop: `${padTop}px`, paddingBottom: `${padBottom}px` }}>{rows}</div>
      <div class="transcript-footer">{footer}</div>
    </div>
  );
}
