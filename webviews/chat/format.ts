// Text for chat values: tokens, cost, durations, errors, tool inputs. Pure, unit-tested in node.
import type { ChatError, ChatTokens } from '../protocol/chat';

export function tokensText(t: ChatTokens): string {
  const k = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n));
  const parts = [`${k(t.input)} in`, `${k(t.output)} out`];
  if (t.reasoning) parts.push(`${k(t.reasoning)} reasoning`);
  if (t.cache.read) parts.push(`${k(t.cache.read)} cached`);
  return parts.join(' · ');
}

export function costText(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/**
 * What people read for an opencode error: a sentence with the next step. `raw` is the error as
 * opencode gave it (name, message, stack lines), for a "Details" fold; never the headline.
 */
export function errorText(e: ChatError): { title: string; detail?: string; raw?: string } {
  const message = e.message ?? '';
  const raw = message && message !== 'Aborted' ? `${e.name}: ${message}` : undefined;
  const withRaw = (t: { title: string; detail?: string }) => (raw ? { ...t, raw } : t);
  // opencode often wraps the real error in UnknownError: look for its name in the message too.
  const all = `${e.name} ${message}`;
  const model = /Model not found:\s*([^\s…]+)/.exec(message)?.[1];
  if (e.name === 'MessageAbortedError') return { title: 'Aborted', detail: 'You stopped this turn.' };
  if (/ProviderModelNotFoundError/.test(all)) {
    return withRaw({ title: `The agent has no model ${model ?? 'by that name'}`, detail: 'Pick another model below and send again; after a provider change, redeploy the project if the list does not have it.' });
  }
  if (e.name === 'ProviderAuthError' || /\b401\b|unauthori[sz]ed|invalid api key/i.test(message)) {
    return withRaw({ title: 'The model provider refused the credentials', detail: 'Set a new key or sign in again in the Providers view, then send again.' });
  }
  if (/Cannot connect to API|Unable to connect|ECONNREFUSED|fetch failed/i.test(message)) {
    return withRaw({ title: 'The agent could not reach the model provider', detail: "Check the provider's address in the Providers view and that it is running (Hangar itself is fine), then send again." });
  }
  switch (e.name) {
    case 'MessageOutputLengthError': return withRaw({ title: 'The answer hit the output length limit', detail: 'Ask for a shorter answer, or continue in a new message.' });
    case 'ContextOverflowError': return withRaw({ title: 'The conversation no longer fits the model’s context', detail: 'Start a new session, or pick a model with a larger context.' });
    case 'APIError': return withRaw({ title: 'The model provider answered with an error', detail: firstLine(message) });
    default: return withRaw({ title: e.name.replace(/Error$/, ' error').replace(/([a-z])([A-Z])/g, '$1 $2'), ...(message ? { detail: firstLine(message) } : {}) });
  }
}

/** The first line of an error message, without its stack. */
function firstLine(message: string): string {
  const line = message.split('\n').find((l) => l.trim() && !/^\s*at\s/.test(l)) ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** "in 12 s" until the next retry. */
export function untilText(next: number, now: number): string {
  const s = Math.max(0, Math.round((next - now) / 1000));
  return s === 0 ? 'now' : `in ${s} s`;
}

/** The one line that says what a tool call does: the command, the file, the pattern. */
export function toolSubject(input: Record<string, unknown> | undefined): string {
  if (!input) return '';
  for (const key of ['command', 'filePath', 'path', 'pattern', 'url', 'query', 'description']) {
    const v = input[key];
    if (typeof v === 'string' && v) return v.length > 200 ? `${v.slice(0, 200)}…` : v;
  }
  return '';
}

/** Pretty JSON of a tool input, capped (an input can hold a whole file). */
export function inputText(input: Record<string, unknown> | undefined, max = 20_000): string {
  if (!input || Object.keys(input).length === 0) return '';
  const s = JSON.stringify(input, null, 2);
  return s.length > max ? `${s.slice(0, max)}\n… (${s.length - max} more characters)` : s;
}

export function clip(s: string, max: number): { text: string; clipped: number } {
  return s.length > max ? { text: s.slice(0, max), clipped: s.length - max } : { text: s, clipped: 0 };
}
