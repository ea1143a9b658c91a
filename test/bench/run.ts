// `npm run bench`: figures and ratios against baselines measured in the same run. No assertions.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
// @ts-expect-error -- the harness is plain .mjs without type declarations
import { startApi } from '../harness/api.mjs';
import { fmt, summarize, timeRequests } from './stats';
import { record } from './results';

const ROOT = path.resolve(__dirname, '../..');
const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 1000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);

async function main(): Promise<void> {
  const api = await startApi({});
  try {
    const auth = { Authorization: `Bearer ${api.token}` };
    const get = (p: string) => async () => {
      const res = await fetch(api.url + p, { headers: auth });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${p}: ${res.status}`);
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
    for (let i = 0; i < PROJECTS; i++) await create(i);
    const createMs = performance.now() - t0;

    await timeRequests(20, get('/api/projects'));
    const full = summarize(await timeRequests(REQUESTS, get('/api/projects')));
    const sizeRes = await fetch(api.url + '/api/projects', { headers: auth });
    const bytes = (await sizeRes.arrayBuffer()).byteLength;

    const rows: [string, string][] = [
      [`GET /api/me (baseline), n=${me.n}`, `median ${fmt(me.median)}  p99 ${fmt(me.p99)}`],
      [`GET /api/projects with 0 projects, n=${empty.n}`, `median ${fmt(empty.median)}  p99 ${fmt(empty.p99)}`],
      [`GET /api/projects with ${PROJECTS} projects, n=${full.n}`, `median ${fmt(full.median)}  p99 ${fmt(full.p99)}  (${(bytes / 1024).toFixed(0)} KiB)`],
      [`  ratio to GET /api/me`, `median ×${(full.median / me.median).toFixed(1)}  p99 ×${(full.p99 / me.p99).toFixed(1)}`],
      [`POST /api/projects ×${PROJECTS} (sequential)`, `${fmt(createMs / PROJECTS)} each`],
    ];
    for (const f of ['dist/extension.js', ...listWebviews()]) {
      const file = path.join(ROOT, f);
      if (!fs.existsSync(file)) continue;
      const buf = fs.readFileSync(file);
      rows.push([`size of ${f}`, `${(buf.length / 1024).toFixed(1)} KiB (${(gzipSync(buf).length / 1024).toFixed(1)} KiB gzip)`]);
    }
    const suite = 'API lists';
    record({ suite, name: `GET /api/projects, ${PROJECTS} projects (${(bytes / 1024).toFixed(0)} KiB), median`,
      value: full.median, unit: 'ms', baseline: { name: 'GET /api/me median', value: me.median } });
    record({ suite, name: `GET /api/projects, ${PROJECTS} projects, p99`, value: full.p99, unit: 'ms',
      baseline: { name: 'GET /api/me p99', value: me.p99 }, target: 'paged: a page p99 ≤ 3 ms (10,000 projects)',
      met: full.p99 <= 3 });
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
