// `npm run bench`: figures and ratios against baselines measured in the same run. No assertions.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
// @ts-expect-error -- the harness is plain .mjs without type declarations
import { startApi } from '../harness/api.mjs';
import { fmt, summarize, timeRequests } from './stats';
import { record } from './results';

const ROOT = path.resolve(__dirname, '../..');
const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 10000);
const CREATE_IN_FLIGHT = 8;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);

async function main(): Promise<void> {
  const api = await startApi({});
  try {
    const auth = { Authorization: `Bearer ${api.token}` };
    const get = (p: string, expect = 200, headers: Record<string, string> = {}) => async () => {
      const res = await fetch(api.url + p, { headers: { ...auth, ...headers } });
      await res.arrayBuffer();
      if (res.status !== expect) throw new Error(`${p}: ${res.status}`);
    };
    const create = async (i: number) => {
      const res = await fetch(api.url + '/api/projects', {
        method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: `bench ${i}` }),
      });
      if (res.status !== 201) throw new Error(`create ${i}: ${res.status} ${await res.text()}`);
    };

    // Warm both paths, then the baselines: the cheapest authenticated route and an empty list.
    await timeRequests(50, get('/api/me'));
    const me = summarize(await timeRequests(REQUESTS, get('/api/me')));
    const empty = summarize(await timeRequests(REQUESTS, get('/api/projects')));

    const t0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: CREATE_IN_FLIGHT }, async () => { while (next < PROJECTS) await create(next++); }));
    const createMs = performance.now() - t0;

    // The first page (the default 100), a page deep in the list (by its cursor), and the unchanged list (304).
    await timeRequests(20, get('/api/projects'));
    const page = summarize(await timeRequests(REQUESTS, get('/api/projects')));
    const first = await fetch(api.url + '/api/projects', { headers: auth });
    const bytes = (await first.arrayBuffer()).byteLength;
    const etag = first.headers.get('etag')!;
    let cursor: string | null = null;
    for (let i = 0; i < Math.min(50, Math.floor(PROJECTS / 100) - 1); i++) {
      cursor = ((await (await fetch(`${api.url}/api/projects${cursor ? `?cursor=${cursor}` : ''}`, { headers: auth })).json()) as { nextCursor: string | null }).nextCursor;
    }
    const deepPath = `/api/projects${cursor ? `?cursor=${cursor}` : ''}`;
    await timeRequests(20, get(deepPath));
    const deep = summarize(await timeRequests(REQUESTS, get(deepPath)));
    await timeRequests(20, get('/api/projects', 304, { 'If-None-Match': etag }));
    const unchanged = summarize(await timeRequests(REQUESTS, get('/api/projects', 304, { 'If-None-Match': etag })));
    // The baseline again, next to the list figures: creating the projects takes minutes, in which a shared
    // machine's load can change; the list figures are compared with this one.
    const near = summarize(await timeRequests(REQUESTS, get('/api/me')));

    const rows: [string, string][] = [
      [`GET /api/me (baseline), n=${me.n}`, `median ${fmt(me.median)}  p99 ${fmt(me.p99)}`],
      [`GET /api/projects with 0 projects, n=${empty.n}`, `median ${fmt(empty.median)}  p99 ${fmt(empty.p99)}`],
      [`GET /api/projects, first page of ${PROJECTS} projects, n=${page.n}`, `median ${fmt(page.median)}  p99 ${fmt(page.p99)}  (${(bytes / 1024).toFixed(0)} KiB)`],
      [`GET /api/projects, a page ${cursor ? 'deep in the list (cursor)' : '(first)'}, n=${deep.n}`, `median ${fmt(deep.median)}  p99 ${fmt(deep.p99)}`],
      [`GET /api/projects unchanged (If-None-Match → 304), n=${unchanged.n}`, `median ${fmt(unchanged.median)}  p99 ${fmt(unchanged.p99)}`],
      [`GET /api/me again, after the list figures (their baseline), n=${near.n}`, `median ${fmt(near.median)}  p99 ${fmt(near.p99)}`],
      [`  first page, ratio to GET /api/me`, `median ×${(page.median / near.median).toFixed(1)}  p99 ×${(page.p99 / near.p99).toFixed(1)}`],
      [`POST /api/projects ×${PROJECTS} (${CREATE_IN_FLIGHT} in flight)`, `${fmt(createMs / PROJECTS)} each`],
    ];
    for (const f of ['dist/extension.js', ...listWebviews()]) {
      const file = path.join(ROOT, f);
      if (!fs.existsSync(file)) continue;
      const buf = fs.readFileSync(file);
      rows.push([`size of ${f}`, `${(buf.length / 1024).toFixed(1)} KiB (${(gzipSync(buf).length / 1024).toFixed(1)} KiB gzip)`]);
    }
    const suite = 'API lists';
    record({ suite, name: `GET /api/projects, first page of ${PROJECTS} projects (${(bytes / 1024).toFixed(0)} KiB), median`,
      value: page.median, unit: 'ms', baseline: { name: 'GET /api/me median', value: near.median } });
    record({ suite, name: `GET /api/projects, first page of ${PROJECTS} projects, p99`, value: page.p99, unit: 'ms',
      baseline: { name: 'GET /api/me p99', value: near.p99 }, target: 'a page p99 ≤ 3 ms (10,000 projects)',
      met: PROJECTS >= 10000 && page.p99 <= 3 });
    record({ suite, name: `GET /api/projects, a page deep in ${PROJECTS} projects (cursor), p99`, value: deep.p99, unit: 'ms',
      baseline: { name: 'GET /api/me p99', value: near.p99 }, target: 'a page p99 ≤ 3 ms (10,000 projects)',
      met: PROJECTS >= 10000 && deep.p99 <= 3 });
    record({ suite, name: `GET /api/projects unchanged, If-None-Match → 304 (${PROJECTS} projects), p99`, value: unchanged.p99, unit: 'ms',
      baseline: { name: 'GET /api/me p99', value: near.p99 }, target: 'p99 ≤ 1.5 ms', met: PROJECTS >= 10000 && unchanged.p99 <= 1.5 });
    const width = Math.max(...rows.map((r) => r[0].length));
    console.log(`\nHangar benchmarks (${new Date().toISOString()}, node ${process.version})`);
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  } finally {
    await api.stop();
  }
}

function listWebviews(): string[] {
  const dir = path.join(ROOT, 'dist/webviews');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).map((d) => `dist/webviews/${d}/index.js`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
