// Issue #14 figure (no assertions): the time from the API listening again to the extension's session
// saying "connected" (what the status bar, trees and chats follow), median of 20 restarts. The session
// is the extension's own HangarSession (no vscode) with its default stream backoff, and, as the same-run
// baseline, with the backoff it had before (1 s doubling to 30 s); the API is killed
// (closed) and started again on the same port and data dir after 1–4 s down.
// Run: node --import tsx test/bench/offlineBack.ts
import fs from 'node:fs';
import net from 'node:net';
import { HangarSession } from '../../extension/core/hangarSession';
import { SecretRegistry } from '../../extension/core/redact';
import { startTestApi, type TestApi } from '../integration/support/apiServer';

const RUNS = Number(process.env.BENCH_OFFLINE_RUNS ?? 20);

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** The stream's backoff before issue #14's cap (EventStream's defaults): the same-run baseline. */
const OLD_BACKOFF = { initialBackoffMs: 1_000, maxBackoffMs: 30_000 };

async function measure(label: string, streamOptions: { initialBackoffMs: number; maxBackoffMs: number } | undefined): Promise<number> {
  const port = String(await freePort());
  let api: TestApi = await startTestApi({ HANGAR_PORT: port });
  const dataDir = api.dataDir;
  const stored = new Map<string, string>();
  const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const session = new HangarSession({
    secrets: { get: async (k) => stored.get(k), store: async (k, v) => { stored.set(k, v); }, delete: async (k) => { stored.delete(k); } },
    fetch: (u, i) => globalThis.fetch(u, i), log: quiet, secretRegistry: new SecretRegistry(), saveServerUrl: async () => {},
    ...(streamOptions ? { streamOptions } : {}),
  });
  await session.connect(api.url, api.adminToken);
  const until = (kind: string) => new Promise<void>((resolve) => {
    if (session.state.kind === kind) return resolve();
    const sub = session.onDidChangeState((s) => { if (s.kind === kind) { sub.dispose(); resolve(); } });
  });
  await until('connected');
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await api.close();
    await until('offline');
    await new Promise((r) => setTimeout(r, 1000 + Math.random() * 3000));
    api = await startTestApi({ HANGAR_PORT: port }, dataDir);
    const back = performance.now();
    await until('connected');
    times.push(performance.now() - back);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(`${label}: API back → session connected: median ${median.toFixed(0)} ms, min ${times[0]!.toFixed(0)}, `
    + `max ${times.at(-1)!.toFixed(0)} (n=${RUNS})`);
  session.dispose();
  await api.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return median;
}

async function main() {
  const baseline = await measure('baseline (backoff 1 s → 30 s)', OLD_BACKOFF);
  const now = await measure('now (backoff 250 ms → 1 s)', undefined);
  console.log(`ratio now/baseline: ${(now / baseline).toFixed(2)}`);
  process.exit(0);
}

void main();
