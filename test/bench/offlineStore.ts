// Offline store figures (issue #14; no assertions): the file's size with 10 projects × 5 sessions ×
// 500 messages (opencode-shaped messages: info + a text part + step parts), how long one write
// (trim + encode + atomic rename) and one read at activation (read + checksum + parse) take, and when the
// lists (what the trees show) are there: from the small lists file, before the large one is parsed.
// Run: node --import tsx test/bench/offlineStore.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalStore } from '../../extension/core/store/localStore';
import { nodeStoreFile } from '../../extension/core/store/storeFile';
import { realTimers } from '../../extension/core/timers';

const PROJECTS = 10;
const SESSIONS = 5;
const MESSAGES = 500;
const LIMIT_MB = Number(process.env.BENCH_STORE_LIMIT_MB ?? 200);

function message(session: string, i: number) {
  const role = i % 2 === 0 ? 'user' : 'assistant';
  const id = `msg_${(1_765_000_000_000 + i).toString(16)}${'a'.repeat(14)}`;
  const text = role === 'user' ? `Please change the handler number ${i} so it validates its input and returns 400 on bad JSON.`
    : `I updated \`src/handlers/h${i}.ts\`: the body is parsed with the schema, errors become 400 with the one error shape. `.repeat(3);
  return {
    info: { id, sessionID: session, role, time: { created: 1_765_000_000_000 + i * 1000, completed: 1_765_000_000_500 + i * 1000 },
      ...(role === 'assistant' ? { modelID: 'fake-model', providerID: 'fake', cost: 0, tokens: { input: 1200, output: 180, reasoning: 0, cache: { read: 0, write: 0 } } } : {}) },
    parts: [
      ...(role === 'assistant' ? [{ id: `prt_${i}s`, type: 'step-start' }] : []),
      { id: `prt_${i}t`, type: 'text', text },
      ...(role === 'assistant' ? [{ id: `prt_${i}f`, type: 'step-finish', tokens: { input: 1200, output: 180 }, cost: 0 }] : []),
    ],
  };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-store-bench-'));
  const file = path.join(dir, 'offline-store.json');
  const log = { debug: () => {}, info: () => {}, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };
  const limits = () => ({ maxBytes: LIMIT_MB * 1024 * 1024, transcriptsPerProject: SESSIONS, maxAgeMs: 30 * 86_400_000 });
  const listsFile = nodeStoreFile(path.join(dir, 'offline-lists.json'));
  const store = new LocalStore({ file: nodeStoreFile(file), listsFile, log, timers: realTimers, limits });
  await store.load();
  const url = 'https://hangar.example';
  store.putList(url, 'projects', Array.from({ length: PROJECTS }, (_, p) => ({ id: `p${p}`, name: `project ${p}`, status: 'running' })));
  for (let p = 0; p < PROJECTS; p++) {
    for (let s = 0; s < SESSIONS; s++) {
      const sid = `ses_${p}_${s}`;
      store.putTranscript(url, `p${p}`, sid, { title: `session ${s}`, messages: Array.from({ length: MESSAGES }, (_, i) => message(sid, i)) });
    }
  }
  // The longest stretch the event loop (VS Code's extension host) was blocked while the write ran.
  let last = performance.now();
  let blockedMs = 0;
  const ticker = setInterval(() => { const n = performance.now(); blockedMs = Math.max(blockedMs, n - last); last = n; }, 1);
  let t = performance.now();
  last = t;
  await store.flush();
  const writeMs = performance.now() - t;
  clearInterval(ticker);
  const bytes = fs.statSync(file).size;
  t = performance.now();
  const again = new LocalStore({ file: nodeStoreFile(file), listsFile, log, timers: realTimers, limits });
  let listsMs = 0;
  void again.listsReady.then(() => { listsMs = performance.now() - t; });
  await again.load();
  const readMs = performance.now() - t;
  const kept = again.transcripts(url, 'p9').length;
  console.log(`offline store: ${PROJECTS} projects × ${SESSIONS} sessions × ${MESSAGES} messages = ${(bytes / 1024 / 1024).toFixed(1)} MiB `
    + `(${Math.round(bytes / (PROJECTS * SESSIONS * MESSAGES))} B/message); write ${writeMs.toFixed(0)} ms (event loop blocked at most ${blockedMs.toFixed(0)} ms), read at activation ${readMs.toFixed(0)} ms `
    + `(the lists, what the trees show, after ${listsMs.toFixed(0)} ms); `
    + `p9 keeps ${kept} transcripts; limit ${LIMIT_MB} MiB`);
  fs.rmSync(dir, { recursive: true, force: true });
}

void main();
