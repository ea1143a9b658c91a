// The secrets scan of the test suites (issue 13, "a secrets scan after the whole suite"). The tests
// give every secret they set (provider keys, GitHub tokens, webhook secrets, OAuth tokens...) a value
// that contains SECRET_MARKER; the scan then reads what a suite left (API data dirs, captured event
// streams, the code-server profile) and names each file that holds a marker, or another known secret
// (the admin token, the API's encryption key, every value the API sealed), in plain text.
// Searched as UTF-8 and as UTF-16LE (Chromium's IndexedDB and localStorage keep strings that way).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The recognisable part of every secret a test sets. */
export const SECRET_MARKER = 'SECRETMARKER';

/** A fresh marked secret, e.g. markedSecret('sk-', 'openai') → `sk-SECRETMARKER-openai-1a2b3c4d5e6f`. */
export function markedSecret(prefix, label) {
  return `${prefix}${SECRET_MARKER}-${label}-${randomBytes(6).toString('hex')}`;
}

const MARKER_RE = new RegExp(`${SECRET_MARKER}[A-Za-z0-9_.-]{0,40}`);
const MARKER_BYTES = [Buffer.from(SECRET_MARKER, 'utf8'), Buffer.from(SECRET_MARKER, 'utf16le')];

// Known secrets are found through 8-character anchors looked up every STRIDE characters: one pass
// per file whatever the number of secrets. A secret of at least ANCHOR + STRIDE - 1 characters
// always covers one looked-up position; shorter ones are left to the marker.
const ANCHOR = 8;
const STRIDE = 8;
export const MIN_SECRET_LENGTH = ANCHOR + STRIDE - 1;

/**
 * An index of known secrets for secretsIn().
 * @param {Array<{name:string, value:string, home?:string}>} secrets
 */
export function secretIndex(secrets) {
  const anchors = new Map();
  for (const secret of secrets) {
    if (secret.value.length < MIN_SECRET_LENGTH) continue;
    for (let off = 0; off < STRIDE; off++) {
      const key = secret.value.slice(off, off + ANCHOR);
      const list = anchors.get(key) ?? [];
      list.push({ secret, off });
      anchors.set(key, list);
    }
  }
  return anchors;
}

function knownIn(text, anchors, found) {
  for (let i = 0; i + ANCHOR <= text.length; i += STRIDE) {
    const candidates = anchors.get(text.slice(i, i + ANCHOR));
    if (!candidates) continue;
    for (const { secret, off } of candidates) if (i >= off && text.startsWith(secret.value, i - off)) found.add(secret);
  }
}

/** Every regular file under `dir` but the dirs `skip` names (symbolic links are not followed); [] when `dir` is gone. */
export function filesUnder(dir, skip = () => false) {
  const out = [];
  let entries;
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (!skip(p)) out.push(...filesUnder(p, skip)); } else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * What `bytes` holds in plain text: a marker, and each known secret of the index.
 * @returns {{ marker?: string, secrets: Array<{name:string, value:string, home?:string}> }}
 */
export function secretsIn(bytes, anchors) {
  let marker;
  for (const pattern of MARKER_BYTES) {
    const at = bytes.indexOf(pattern);
    if (at < 0 || marker) continue;
    const encoding = pattern.length === SECRET_MARKER.length ? 'utf8' : 'utf16le';
    marker = MARKER_RE.exec(bytes.subarray(at, at + 120).toString(encoding))?.[0] ?? SECRET_MARKER;
  }
  const found = new Set();
  if (anchors.size) {
    knownIn(bytes.toString('latin1'), anchors, found);
    knownIn(bytes.toString('utf16le'), anchors, found);
    if (bytes.length > 1) knownIn(bytes.subarray(1).toString('utf16le'), anchors, found);
  }
  return { marker, secrets: [...found] };
}

/** `where`: what to name in a finding. A known secret in its own `home` file is kept there by design. */
export function scanBytes(where, bytes, anchors, file) {
  const { marker, secrets } = secretsIn(bytes, anchors);
  const findings = marker ? [`marker secret ${marker} in ${where}`] : [];
  for (const s of secrets) if (!file || s.home !== file) findings.push(`${s.name} in ${where}`);
  return findings;
}

/**
 * Scans every file under `root` (but the dirs `skip` names).
 * @returns {{ files: number, bytes: number, findings: string[] }}
 */
export function scanTree(root, anchors, { skip } = {}) {
  const findings = [];
  let bytes = 0;
  const files = filesUnder(root, skip);
  for (const file of files) {
    let data;
    try { data = fs.readFileSync(file); } catch { continue; } // removed meanwhile
    bytes += data.length;
    findings.push(...scanBytes(file, data, anchors, file));
  }
  return { files: files.length, bytes, findings };
}

/** The secrets a data dir keeps by design in its own files: the admin token and the encryption key. */
export function dataDirKeySecrets(dataDir) {
  const out = [];
  for (const [name, file] of [['the admin token', 'local-token'], ['the encryption key', 'secret.key']]) {
    const home = path.join(dataDir, file);
    let value = '';
    try { value = fs.readFileSync(home, 'utf8').trim(); } catch { /* none */ }
    if (value) out.push({ name: `${name} of ${dataDir}`, value, home });
  }
  return out;
}
