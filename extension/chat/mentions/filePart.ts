// A mention → what opencode's prompt takes. When the container holds the file (the same repository,
// or a file only the container has), a `file` part whose URL points into the container's workspace:
// opencode reads it there itself, honouring `?start=&end=` as the line range. Otherwise the local
// file's content travels inline as a `data:` URL (opencode turns it into a Read result), capped in
// size with a note saying so.
import type { Mention } from '../../../webviews/protocol/chat';

export interface OcFilePartInput { type: 'file'; mime: string; url: string; filename: string }
export interface OcTextPartInput { type: 'text'; text: string; synthetic?: boolean }
export type OcPromptPart = OcFilePartInput | OcTextPartInput;

/** Largest inline text (bytes of UTF-8); the rest is cut with a note. */
export const INLINE_TEXT_CAP = 100 * 1024;
/** Largest inline image. */
export const INLINE_IMAGE_CAP = 5 * 1024 * 1024;

const IMAGE_MIME: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp',
};

/** `src/app.ts#L10-24` (the mention as shown, without the `@`). */
export function mentionLabel(m: Mention): string {
  if (!m.range) return m.path;
  return m.range.start === m.range.end ? `${m.path}#L${m.range.start}` : `${m.path}#L${m.range.start}-${m.range.end}`;
}

export function mimeOf(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return IMAGE_MIME[ext] ?? (ext === 'pdf' ? 'application/pdf' : 'text/plain');
}

/** A workspace-relative path that cannot climb out of the workspace. */
export function isSafeRelativePath(path: string): boolean {
  return !!path && !path.startsWith('/') && !path.includes('\\') && !path.includes('\0') && !/^[A-Za-z]:/.test(path)
    && !path.split('/').some((s) => s === '..' || s === '.');
}

/** `file://` URL of a workspace-relative path inside the container's workspace folder (an absolute POSIX path). */
export function containerFileUrl(containerDir: string, m: Mention): string {
  const abs = `${containerDir.replace(/\/+$/, '')}/${m.path}`;
  const url = `file://${abs.split('/').map(encodeURIComponent).join('/')}`;
  return m.range ? `${url}?start=${m.range.start}&end=${m.range.end}` : url;
}

/** The mention as a reference to the container's copy. */
export function containerFilePart(containerDir: string, m: Mention): OcFilePartInput {
  return { type: 'file', mime: mimeOf(m.path), url: containerFileUrl(containerDir, m), filename: mentionLabel(m) };
}

function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8000);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

function kib(n: number): string {
  return n < 1024 ? `${n} bytes` : `${Math.round(n / 1024)} KB`;
}

/** The text cut to at most `cap` bytes of UTF-8, on a character boundary. */
function cutUtf8(text: string, cap: number): { text: string; bytes: number; cut: boolean } {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= cap) return { text, bytes: buf.length, cut: false };
  let end = cap;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--; // do not split a multi-byte character
  return { text: buf.subarray(0, end).toString('utf8'), bytes: buf.length, cut: true };
}

/**
 * The local file's content as an inline part. `bytes` is the whole file. Ranges keep only those
 * lines; text beyond `cap` bytes is cut and a note says how much was left out.
 */
export function inlineFilePart(m: Mention, bytes: Uint8Array, cap = INLINE_TEXT_CAP): OcPromptPart {
  const label = mentionLabel(m);
  const mime = mimeOf(m.path);
  if (mime !== 'text/plain' || looksBinary(bytes)) {
    if (mime.startsWith('image/') && bytes.length <= INLINE_IMAGE_CAP) {
      const url = `data:${mime};base64,${Buffer.from(bytes).toString('base64')}`;
      return { type: 'file', mime, url, filename: m.path };
    }
    const text = `[Hangar: ${label} is a binary file (${kib(bytes.length)}) that the agent's workspace does not have; `
      + 'it was not attached.]';
    return { type: 'text', synthetic: true, text };
  }
  let text = Buffer.from(bytes).toString('utf8');
  if (m.range) {
    const lines = text.split('\n');
    text = lines.slice(m.range.start - 1, m.range.end).join('\n');
  }
  const cut = cutUtf8(text, cap);
  let body = cut.text;
  if (cut.cut) {
    body += `\n\n[Hangar: ${label} was truncated: only the first ${kib(cap)} of ${kib(cut.bytes)} are included, `
      + 'because the agent\'s workspace does not have this file.]';
  }
  const url = `data:text/plain;base64,${Buffer.from(body, 'utf8').toString('base64')}`;
  return { type: 'file', mime: 'text/plain', url, filename: label };
}
