// Sizes and counts as people read them, the one formatter the trees (extension/) and the webviews
// share: "4 GB" in the Tiers view and in Project details alike, "32k" context for 32,768 tokens,
// and a new session's name the same in the chat and the Activity view.
// No imports: the extension may import this file (eslint.config.mjs) as it does webviews/protocol.

/** Docker-style sizes: "4g" → "4 GB", "512m" → "512 MB", "1.5g" → "1.5 GB"; anything else as given. */
export function memoryText(size: string): string {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt])b?$/i.exec(size.trim());
  if (!m) return size;
  return `${m[1]} ${({ k: 'KB', m: 'MB', g: 'GB', t: 'TB' } as const)[m[2]!.toLowerCase() as 'k' | 'm' | 'g' | 't']}`;
}

/**
 * Token counts: 32768 → "32k", 128000 → "128k", 1048576 → "1M", 950 → "950". Powers of two are
 * counted in 1024s (a "32k" model has 32,768 tokens, not "33k"), round numbers in 1000s.
 */
export function tokenCountText(n: number): string {
  if (!Number.isFinite(n) || n < 1000) return String(Math.max(0, Math.round(n)));
  // 128000 is "128k" (a round thousand), 32768 is "32k" (a round 1024), anything else in thousands.
  const binary = n % 1000 !== 0 && n % 1024 === 0;
  const k = binary ? 1024 : 1000;
  if (n >= k * k && (n % (k * k) === 0 || !binary)) return `${trim(n / (k * k))}M`;
  return `${trim(n / k)}k`;
}

function trim(x: number): string {
  return x >= 100 ? String(Math.round(x)) : String(Math.round(x * 10) / 10);
}

/**
 * opencode names a session "New session - <ISO time>" until the model titles it: shown as
 * "New session (Mar 10, 2025, 14:05)" in the viewer's time zone; an empty title as "Untitled session".
 */
export function sessionTitleText(title: string, timeZone?: string): string {
  const m = /^(New session|Child session) - (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)$/.exec(title.trim());
  if (!m) return title.trim() || 'Untitled session';
  const when = new Intl.DateTimeFormat('en', {
    dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}),
  }).format(Date.parse(m[2]!));
  return `${m[1]} (${when})`;
}
