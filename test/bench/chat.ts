// `npm run bench` (chat): opening and rendering a 5,000-message session against a 50-message
// baseline, bytes posted to the webview per streamed token at 10 vs 5,000 messages of history, and
// the chat webview bundle size. Figures and ratios, no assertions.
//   host side: ChatController + PanelChannel (normalise, validate, serialise) over a fake agent proxy;
//   webview side: the real bundle in Chromium (/usr/bin/chromium) under the webview CSP, fed the same messages.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { ChatController, TRANSCRIPT_PAGE, type ChatApi, type OcSession } from '../../extension/chat/chatController';
import { PanelChannel } from '../../extension/core/webview/panelChannel';
import type { Logger } from '../../extension/core/ports';
import { ChatHostToWebview, ChatWebviewToHost } from '../../webviews/protocol/chat';
import { serveChatPage } from '../unit/webviews/chat/page';
import { summarize } from './stats';
import { record } from './results';

/* eslint-disable @typescript-eslint/no-explicit-any -- page callbacks run in the browser */
declare const window: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

const ROOT = path.resolve(__dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const BIG = 5_000;
const BASE = 50;
const ROUNDS = Number(process.env.BENCH_CHAT_ROUNDS ?? 5);
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const SID = 'ses_bench';

/** n messages in opencode's own shape (GET /session/:id/message), alternating user / assistant with markdown. */
function ocMessages(n: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const id = `msg_${String(i).padStart(8, '0')}`;
    const user = i % 2 === 0;
    const info = user
      ? { id, sessionID: SID, role: 'user', time: { created: 1_000 + i }, agent: 'build', model: { providerID: 'fake', modelID: 'fake-model' } }
      : { id, sessionID: SID, role: 'assistant', time: { created: 1_000 + i, completed: 1_001 + i }, providerID: 'fake', modelID: 'fake-model', cost: 0.001, tokens: { input: 100, output: 40, reasoning: 0, cache: { read: 0, write: 0 } }, finish: 'stop' };
    const text = user ? `Question ${i}: why does the login redirect loop?` : `Answer ${i}: read the cookie **before** redirecting.\n\n\`\`\`ts\nconst next = url.searchParams.get('next') ?? '/';\n\`\`\`\n\n- one\n- two`;
    const parts: unknown[] = [{ id: `prt_${id}`, sessionID: SID, messageID: id, type: 'text', text }];
    if (!user) parts.push({ id: `prt_${id}_f`, sessionID: SID, messageID: id, type: 'step-finish', reason: 'stop', cost: 0.001, tokens: { input: 100, output: 40, reasoning: 0, cache: { read: 0, write: 0 } } });
    out.push({ info, parts });
  }
  return out;
}

/** `paged`: honours `limit` as opencode does (the newest); otherwise answers everything (the whole history goes to the webview). */
function fakeApi(messages: unknown[], paged: boolean): ChatApi {
  const s: OcSession = { id: SID, title: 'bench', time: { created: 1, updated: 2 } };
  return {
    sessions: () => Promise.resolve([s]), createSession: () => Promise.resolve(s), renameSession: () => Promise.resolve(s), deleteSession: () => Promise.resolve(),
    messages: (_id, limit) => Promise.resolve(paged && limit ? messages.slice(-limit) : messages), statuses: () => Promise.resolve({}), promptAsync: () => Promise.resolve(), abort: () => Promise.resolve(),
    replyPermission: () => Promise.resolve(), permissions: () => Promise.resolve([]),
    providers: () => Promise.resolve({ providers: [{ id: 'fake', name: 'Fake', models: { 'fake-model': { name: 'Fake' } } }], default: { fake: 'fake-model' } }),
    agents: () => Promise.resolve([{ name: 'build', mode: 'primary' }]),
    commands: () => Promise.resolve([]), command: () => Promise.resolve(),
    sessionDiff: () => Promise.resolve([]), workspaceDiff: () => Promise.resolve([]), fileContent: () => Promise.resolve(undefined),
  };
}

/** A host as the panel builds it, posting through a PanelChannel into a recorder; returns the posted JSON strings. */
async function openHost(messages: unknown[], paged = true): Promise<{ ms: number; posted: string[]; controller: ChatController }> {
  const posted: string[] = [];
  let receive: (m: unknown) => void = () => undefined;
  const channel = new PanelChannel<ChatWebviewToHost, ChatHostToWebview>({
    postMessage: (m) => { posted.push(JSON.stringify(m)); return Promise.resolve(true); },
    onDidReceiveMessage: (l) => { receive = l; return { dispose: () => undefined }; },
  }, { name: 'bench', incoming: ChatWebviewToHost, outgoing: ChatHostToWebview, handlers: {} as never, log: quiet });
  const controller = new ChatController(fakeApi(messages, paged), {
    post: (m) => { channel.post(m); }, confirmExternal: () => Promise.resolve(false), openExternal: () => Promise.resolve(false), copy: () => Promise.resolve(),
  }, { id: 'p', name: 'bench', status: 'running' }, quiet);
  receive({ type: 'ready' });
  await new Promise((r) => setImmediate(r));
  const t0 = performance.now();
  await controller.onReady();
  return { ms: performance.now() - t0, posted, controller };
}

async function hostOpen(n: number, paged: boolean): Promise<{ median: number; bytes: number; posted: string[] }> {
  const messages = ocMessages(n);
  const samples: number[] = [];
  let last: string[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const r = await openHost(messages, paged);
    samples.push(r.ms);
    last = r.posted;
  }
  return { median: summarize(samples).median, bytes: last.reduce((a, p) => a + Buffer.byteLength(p), 0), posted: last };
}

/** Bytes posted per streamed token once a session with `history` messages is open. */
async function bytesPerToken(history: number): Promise<number> {
  const { posted, controller } = await openHost(ocMessages(history));
  const before = posted.length;
  const TOKENS = 500;
  const mid = `msg_${String(history).padStart(8, '0')}`;
  for (let i = 0; i < TOKENS; i++) {
    controller.onEvent({ type: 'message.part.delta', properties: { sessionID: SID, messageID: mid, partID: `prt_${mid}`, field: 'text', delta: 'tok ' } });
  }
  await new Promise((r) => setImmediate(r));
  const bytes = posted.slice(before).reduce((a, p) => a + Buffer.byteLength(p), 0);
  return bytes / TOKENS;
}

async function render(posted: string[]): Promise<number[]> {
  const page = await serveChatPage();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const samples: number[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const tab = await browser.newPage({ viewport: { width: 900, height: 900 } });
      await tab.goto(page.url);
      await tab.waitForFunction(() => window.__posted.some((m: { type: string }) => m.type === 'ready'));
      // From the first message posted to a settled paint of the bottom rows, timed inside the page.
      // A string, not a function: tsx would wrap the page's inner functions in a helper the page lacks.
      await tab.evaluate((json: string) => { window.__bench = JSON.parse(json); }, JSON.stringify(posted));
      const ms = await tab.evaluate(`(async () => {
        const t0 = performance.now();
        for (const m of window.__bench) window.__host(JSON.parse(m));
        await new Promise((resolve) => {
          const check = () => {
            const t = document.querySelector('.transcript');
            if (t && document.querySelector('.row') && t.scrollHeight - t.scrollTop - t.clientHeight < 50) resolve();
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        });
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
        return performance.now() - t0;
      })()`) as number;
      samples.push(ms);
      await tab.close();
    }
  } finally {
    await browser.close();
    await page.close();
  }
  return samples;
}

async function main(): Promise<void> {
  const rows: [string, string][] = [];
  const base = await hostOpen(BASE, true);
  const paged = await hostOpen(BIG, true);
  const big = await hostOpen(BIG, false);
  rows.push([`host: open a ${BASE}-message session (baseline), median of ${ROUNDS}`, `${base.median.toFixed(1)} ms, ${(base.bytes / 1024).toFixed(0)} KiB posted`]);
  rows.push([`host: open a ${BIG}-message session (newest ${TRANSCRIPT_PAGE} first)`, `${paged.median.toFixed(1)} ms, ${(paged.bytes / 1024).toFixed(0)} KiB posted  (×${(paged.median / base.median).toFixed(1)})`]);
  rows.push([`host: post a ${BIG}-message session whole`, `${big.median.toFixed(1)} ms, ${(big.bytes / 1024).toFixed(0)} KiB posted  (×${(big.median / base.median).toFixed(1)} for ×${BIG / BASE} messages)`]);
  if (fs.existsSync(CHROMIUM)) {
    const rb = summarize(await render(base.posted));
    const rbig = summarize(await render(big.posted));
    rows.push([`webview: render ${BASE} messages (baseline), median of ${ROUNDS}`, `${rb.median.toFixed(1)} ms`]);
    rows.push([`webview: render ${BIG} messages (virtualised)`, `${rbig.median.toFixed(1)} ms  (×${(rbig.median / rb.median).toFixed(1)})`]);
    const rp = summarize(await render(paged.posted));
    rows.push([`webview: render the newest ${TRANSCRIPT_PAGE} of ${BIG}`, `${rp.median.toFixed(1)} ms  (×${(rp.median / rb.median).toFixed(1)})`]);
  } else {
    rows.push(['webview: render', `skipped: ${CHROMIUM} is missing`]);
  }
  const small = await bytesPerToken(10);
  const large = await bytesPerToken(BIG);
  rows.push(['bytes posted per streamed token, 10 messages of history', `${small.toFixed(1)} B`]);
  rows.push([`bytes posted per streamed token, ${BIG} messages of history`, `${large.toFixed(1)} B  (×${(large / small).toFixed(2)})`]);
  for (const f of ['dist/webviews/chat/index.js', 'dist/webviews/chat/index.css']) {
    const file = path.join(ROOT, f);
    if (!fs.existsSync(file)) continue;
    const buf = fs.readFileSync(file);
    rows.push([`chat webview ${path.basename(f)}`, `${(buf.length / 1024).toFixed(1)} KiB (${(gzipSync(buf).length / 1024).toFixed(1)} KiB gzip)`]);
  }
  record({ suite: 'Chat', name: `host: open a ${BIG}-message session, median`, value: paged.median, unit: 'ms',
    baseline: { name: `${BASE}-message session`, value: base.median } });
  record({ suite: 'Chat', name: `bytes posted per streamed token, ${BIG} messages of history`, value: large,
    unit: 'B', baseline: { name: '10 messages of history', value: small } });
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\nHangar chat benchmarks (${new Date().toISOString()}, node ${process.version})`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
