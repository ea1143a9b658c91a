import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalStore, WRITE_DELAY_MS } from '../../../../../extension/core/store/localStore';
import { decodeStore, encodeStore, encodeStoreInPieces } from '../../../../../extension/core/store/storeCodec';
import type { StoreLimits } from '../../../../../extension/core/store/storeEviction';
import { nodeStoreFile, type StoreFile } from '../../../../../extension/core/store/storeFile';
import type { Timers } from '../../../../../extension/core/timers';

const URL = 'https://hangar.example';
const DAY = 24 * 3600 * 1000;

class FakeTimers implements Timers {
  t = 1_000_000;
  private queue: { at: number; fn: () => void; id: number }[] = [];
  private seq = 0;
  setTimeout(fn: () => void, ms: number) { const id = ++this.seq; this.queue.push({ at: this.t + ms, fn, id }); return id; }
  clearTimeout(h: unknown) { this.queue = this.queue.filter((q) => q.id !== h); }
  now() { return this.t; }
  advance(ms: number) {
    this.t += ms;
    const due = this.queue.filter((q) => q.at <= this.t);
    this.queue = this.queue.filter((q) => q.at > this.t);
    for (const q of due) q.fn();
  }
}

function memoryFile(text?: string): StoreFile & { text?: string; writes: number; quarantined: number } {
  const f = {
    text, writes: 0, quarantined: 0,
    read: async () => f.text,
    write: async (t: string | readonly string[]) => { f.text = typeof t === 'string' ? t : t.join(''); f.writes++; },
    quarantine: async () => { f.quarantined++; f.text = undefined; },
  };
  return f;
}

function world(file = memoryFile(), limits: Partial<StoreLimits> = {}) {
  const timers = new FakeTimers();
  const logs: string[] = [];
  const log = { debug: () => {}, info: (m: string) => logs.push(`info ${m}`), warn: (m: string) => logs.push(`warn ${m}`), error: (m: string) => logs.push(`error ${m}`) };
  const store = new LocalStore({ file, log, timers, limits: () => ({ maxBytes: 1024 * 1024, transcriptsPerProject: 5, maxAgeMs: 30 * DAY, ...limits }) });
  return { store, file, timers, logs };
}

const messages = (n: number, size = 100) => Array.from({ length: n }, (_, i) => ({ id: `m${i}`, text: 'x'.repeat(size) }));
const flushMicrotasks = () => new Promise((r) => setImmediate(r));

describe('LocalStore (offline cache)', () => {
  it('keeps lists and transcripts per server and reads them back after a restart', async () => {
    const a = world();
    await a.store.load();
    a.store.putList(URL, 'projects', [{ id: 'p1', status: 'running' }]);
    a.store.putList(URL, 'tiers', [{ id: 't1' }]);
    a.store.putList('http://other', 'projects', [{ id: 'q' }]);
    a.store.putTranscript(URL, 'p1', 'ses_1', { title: 'first', messages: messages(3) });
    await a.store.flush();
    const b = world(a.file);
    await b.store.load();
    assert.deepEqual(b.store.list(URL, 'projects')?.items, [{ id: 'p1', status: 'running' }]);
    assert.deepEqual(b.store.list('http://other', 'projects')?.items, [{ id: 'q' }]);
    assert.equal(b.store.transcript(URL, 'p1', 'ses_1')?.title, 'first');
    assert.equal(b.store.list(URL, 'providers'), undefined);
  });

  it('shows the lists from the small lists file before the large file with the transcripts is read', async () => {
    const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const limits = () => ({ maxBytes: 1024 * 1024, transcriptsPerProject: 5, maxAgeMs: 30 * DAY });
    const main = memoryFile();
    const lists = memoryFile();
    const a = new LocalStore({ file: main, listsFile: lists, log: quiet, timers: new FakeTimers(), limits });
    await a.load();
    a.putList(URL, 'projects', [{ id: 'p1' }]);
    a.putTranscript(URL, 'p1', 'ses_1', { messages: messages(50) });
    await a.flush();
    assert.deepEqual(decodeStore(lists.text!).servers[URL]?.transcripts, {}, 'the lists file has no transcripts');
    assert.ok(lists.text!.length * 5 < main.text!.length);

    // The large file's read is held: the lists are there before it, the transcripts after it.
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const slow = { ...main, read: async () => { await held; return main.text; } };
    const b = new LocalStore({ file: slow, listsFile: lists, log: quiet, timers: new FakeTimers(), limits });
    const loading = b.load();
    let ready = false;
    void b.ready.then(() => { ready = true; });
    await b.listsReady;
    assert.deepEqual(b.list(URL, 'projects')?.items, [{ id: 'p1' }]);
    assert.equal(ready, false);
    assert.deepEqual(b.transcripts(URL, 'p1'), []);
    release();
    await loading;
    assert.equal(b.transcripts(URL, 'p1')[0]?.transcript.messages.length, 50);

    // A damaged lists file is passed over: the main file has the lists too.
    const c = new LocalStore({ file: main, listsFile: memoryFile('garbage'), log: quiet, timers: new FakeTimers(), limits });
    await c.load();
    await c.listsReady;
    assert.deepEqual(c.list(URL, 'projects')?.items, [{ id: 'p1' }]);
  });

  it('gathers a burst of changes into one write, after the write delay', async () => {
    const { store, file, timers } = world();
    await store.load();
    for (let i = 0; i < 50; i++) store.putList(URL, 'activity', [{ n: i }]);
    await flushMicrotasks();
    assert.equal(file.writes, 0, 'nothing written on the hot path');
    timers.advance(WRITE_DELAY_MS);
    await store.flush();
    assert.equal(file.writes, 1);
    assert.deepEqual(decodeStore(file.text!).servers[URL]?.activity?.items, [{ n: 49 }]);
  });

  it('stays within its size limit: the least recently used transcripts go, the newest stay', async () => {
    const { store, file, timers, logs } = world(memoryFile(), { maxBytes: 60_000, transcriptsPerProject: 50 });
    await store.load();
    for (let i = 0; i < 20; i++) {
      store.putTranscript(URL, `p${i % 4}`, `ses_${i}`, { messages: messages(50, 100) }); // about 6.5 kB each
      timers.t += 1000;
    }
    store.transcript(URL, 'p0', 'ses_0'); // read again: now among the most recently used
    await store.flush();
    const kept = decodeStore(file.text!).servers[URL]!.transcripts;
    const ids = Object.values(kept).flatMap((s) => Object.keys(s)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
    assert.ok(Buffer.byteLength(file.text!) <= 60_000, `${Buffer.byteLength(file.text!)} bytes`);
    assert.ok(ids.includes('ses_0') && ids.includes('ses_19'), ids.join());
    assert.ok(!ids.includes('ses_1') && !ids.includes('ses_2'), ids.join());
    assert.equal(store.bytes, Buffer.byteLength(file.text!));
    assert.ok(ids.length >= 7 && ids.length <= 9, `${ids.length} kept`);
    assert.ok(logs.some((l) => /transcript\(s\) evicted/.test(l)));
  });

  it('keeps only the last N transcripts of each project (hangar.offline.transcriptsPerProject)', async () => {
    const { store, file, timers } = world(memoryFile(), { transcriptsPerProject: 2 });
    await store.load();
    for (const s of ['ses_a', 'ses_b', 'ses_c']) { store.putTranscript(URL, 'p', s, { messages: messages(1) }); timers.t += 10; }
    store.putTranscript(URL, 'q', 'ses_z', { messages: messages(1) });
    await store.flush();
    const t = decodeStore(file.text!).servers[URL]!.transcripts;
    assert.deepEqual(Object.keys(t.p!).sort(), ['ses_b', 'ses_c']);
    assert.deepEqual(Object.keys(t.q!), ['ses_z']);
  });

  it('drops what is older than its age limit', async () => {
    const { store, file, timers } = world(memoryFile(), { maxAgeMs: 7 * DAY });
    await store.load();
    store.putList(URL, 'projects', [{ id: 'old' }]);
    store.putTranscript(URL, 'p', 'ses_old', { messages: messages(1) });
    timers.t += 8 * DAY;
    store.putList(URL, 'tiers', [{ id: 'fresh' }]);
    await store.flush();
    const s = decodeStore(file.text!).servers[URL]!;
    assert.deepEqual([s.projects, s.tiers?.items, s.transcripts], [undefined, [{ id: 'fresh' }], {}]);
  });

  it('forgets a deleted project\'s transcripts and an invalidated list', async () => {
    const { store } = world();
    await store.load();
    store.putTranscript(URL, 'p', 'ses_1', { messages: messages(1) });
    store.putList(URL, 'providers', [{ id: 'openai' }]);
    store.forgetProject(URL, 'p');
    store.invalidate(URL, 'providers');
    assert.deepEqual([store.transcripts(URL, 'p'), store.list(URL, 'providers')], [[], undefined]);
  });

  for (const [what, text] of [
    ['garbage', 'not a store at all'],
    ['a flipped byte that still parses', encodeStore({ v: 1, servers: { [URL]: { transcripts: {}, tiers: { at: 1, items: [1] } } } }).replace('[1]', '[7]')],
    ['a file from a newer Hangar', `${JSON.stringify({ format: 'hangar-store', v: 99, sha256: 'x' })}\n{}`],
    ['a truncated write', encodeStore({ v: 1, servers: {} }).slice(0, 40)],
  ] as const) {
    it(`rebuilds a corrupted file (${what}) with a logged notice, never throwing`, async () => {
      const { store, file, logs, timers } = world(memoryFile(text));
      await store.load();
      assert.equal(file.quarantined, 1);
      assert.ok(logs.some((l) => l.startsWith('warn The offline store could not be read')), logs.join('\n'));
      assert.deepEqual(store.server(URL), undefined);
      timers.advance(WRITE_DELAY_MS);
      await store.flush();
      assert.deepEqual(decodeStore(file.text!), { v: 1, servers: {} });
    });
  }

  it('migrates an older file version step by step', () => {
    const v0 = `${JSON.stringify({ format: 'hangar-store', v: 0, sha256: '' })}\n`;
    const body = JSON.stringify({ caches: { [URL]: { projects: [{ id: 'p' }] } } });
    const text = v0.replace('""', JSON.stringify(crypto.createHash('sha256').update(body).digest('hex'))) + body;
    const data = decodeStore(text, {
      0: (old) => ({ servers: Object.fromEntries(Object.entries(old.caches as Record<string, { projects: unknown[] }>)
        .map(([url, c]) => [url, { transcripts: {}, projects: { at: 0, items: c.projects } }])) }),
    });
    assert.deepEqual(data.servers[URL]?.projects?.items, [{ id: 'p' }]);
  });

  it('what is put before the file is read wins over the file', async () => {
    const file = memoryFile(encodeStore({ v: 1, servers: { [URL]: { transcripts: {}, projects: { at: 1, items: ['old'] }, tiers: { at: 1, items: ['t'] } } } }));
    const { store } = world(file);
    store.putList(URL, 'projects', ['new']);
    await store.load();
    assert.deepEqual([store.list(URL, 'projects')?.items, store.list(URL, 'tiers')?.items], [['new'], ['t']]);
  });
});

describe('encodeStoreInPieces (writes off the hot path)', () => {
  it('is the same file, built a transcript at a time with a pause between them', async () => {
    const data = {
      v: 1 as const,
      servers: {
        [URL]: {
          projects: { at: 5, items: [{ id: 'p1' }] },
          transcripts: { p1: { s1: { at: 1, usedAt: 2, title: 'a "quoted" title', messages: [{ text: 'é ✓' }] }, s2: { at: 1, usedAt: 3, messages: [] } } },
        },
        'http://other': { transcripts: {} },
      },
    };
    let pauses = 0;
    const encoded = await encodeStoreInPieces(data, async () => { pauses++; });
    const text = encoded.pieces.join('');
    assert.deepEqual(decodeStore(text), data);
    assert.equal(encoded.bytes, Buffer.byteLength(text));
    assert.equal(pauses, 2, 'one pause per transcript');
    assert.ok(encoded.pieces.length > 2, 'never one large string');
  });
});

describe('nodeStoreFile', () => {
  it('writes atomically, 0600 in a 0700 folder, and sets a bad file aside', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-store-'));
    const file = path.join(root, 'globalStorage', 'offline-store.json');
    const f = nodeStoreFile(file);
    assert.equal(await f.read(), undefined);
    await f.write('one');
    await f.write('two');
    assert.equal(await f.read(), 'two');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['offline-store.json']);
    await f.quarantine();
    assert.equal(await f.read(), undefined);
    assert.equal(fs.readFileSync(`${file}.corrupt`, 'utf8'), 'two');
    fs.rmSync(root, { recursive: true, force: true });
  });
});
