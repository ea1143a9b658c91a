// Text for chat values: tokens, cost, durations, errors, tool inputs. Pure, unit-tested in node.
import type { ChatError, ChatTokens } from '../protocol';

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

/** What people read for opencode's error names. */
export function errorText(e: ChatError): { title: string; detail?: string } {
  switch (e.name) {
    case 'MessageAbortedError': return { title: 'Stopped', detail: 'You aborted this turn.' };
    case 'ProviderAuthError': return { title: 'The model provider refused the credentials', detail: e.message };
    case 'MessageOutputLengthError': return { title: 'The answer hit the output length limit', detail: e.message };
    case 'ContextOverflowError': return { title: 'The conversation no longer fits the model’s context', detail: e.message };
    case 'APIError': return { title: 'The model provider answered with an error', detail: e.message };
    default: return { title: e.name.replace(/Error$/, ' error').replace(/([a-z])([A-Z])/g, '$1 $2'), detail: e.message };
  }
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
