import assert from 'node:assert/strict';
import {
  containerFilePart, containerFileUrl, inlineFilePart, isSafeRelativePath, mentionLabel, type OcFilePartInput,
} from '../../../../../extension/chat/mentions/filePart';
import { FileIndex } from '../../../../../extension/chat/mentions/fileIndex';
import { mergeResults } from '../../../../../extension/chat/mentions/merge';
import { ProjectMentions, type ContainerFiles, type WorkspaceFiles } from '../../../../../extension/chat/mentions/projectMentions';
import type { Logger } from '../../../../../extension/core/ports';
import type { MentionResult } from '../../../../../webviews/protocol/chat';

const log: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const decode = (p: OcFilePartInput) => Buffer.from(p.url.slice(p.url.indexOf(',') + 1), 'base64').toString('utf8');
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('mentions: a mention → an opencode part', () => {
  it('points into the container\'s workspace with a file:// URL, the range as ?start=&end=', () => {
    assert.deepEqual(containerFilePart('/home/agent/work/', { path: 'src/app.ts', range: { start: 10, end: 24 } }), {
      type: 'file', mime: 'text/plain', url: 'file:///home/agent/work/src/app.ts?start=10&end=24', filename: 'src/app.ts#L10-24',
    });
    assert.equal(containerFileUrl('/w', { path: 'docs/a b#1.md' }), 'file:///w/docs/a%20b%231.md');
    assert.equal(containerFilePart('/w', { path: 'img/logo.png' }).mime, 'image/png');
    assert.equal(mentionLabel({ path: 'a.ts', range: { start: 3, end: 3 } }), 'a.ts#L3');
  });

  it('inlines a local file as text/plain data, only the range\'s lines when it has one', () => {
    const whole = inlineFilePart({ path: 'src/a.ts' }, utf8('line 1\nline 2\nline 3\n')) as OcFilePartInput;
    assert.equal(whole.type, 'file');
    assert.equal(whole.mime, 'text/plain');
    assert.match(whole.url, /^data:text\/plain;base64,/);
    assert.equal(whole.filename, 'src/a.ts');
    assert.equal(decode(whole), 'line 1\nline 2\nline 3\n');
    const range = inlineFilePart({ path: 'src/a.ts', range: { start: 2, end: 3 } }, utf8('line 1\nline 2\nline 3\nline 4')) as OcFilePartInput;
    assert.equal(decode(range), 'line 2\nline 3');
    assert.equal(range.filename, 'src/a.ts#L2-3');
  });

  it('cuts inline text at the cap (never inside a character) and says so', () => {
    const big = 'é'.repeat(600); // 1200 bytes
    const part = inlineFilePart({ path: 'big.txt' }, utf8(big), 1001) as OcFilePartInput;
    const text = decode(part);
    const [kept, note] = text.split('\n\n');
    assert.equal(kept, 'é'.repeat(500), 'cut back to a character boundary');
    assert.match(note!, /big\.txt was truncated: only the first 1001 bytes of 1 KB are included/);
    const small = inlineFilePart({ path: 'small.txt' }, utf8('tiny'), 1001) as OcFilePartInput;
    assert.doesNotMatch(decode(small), /truncated/);
  });

  it('binary files: images go inline with their type, other binaries become a note', () => {
    const png = inlineFilePart({ path: 'logo.png' }, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2])) as OcFilePartInput;
    assert.equal(png.mime, 'image/png');
    assert.match(png.url, /^data:image\/png;base64,/);
    const bin = inlineFilePart({ path: 'tool.bin' }, new Uint8Array([1, 0, 2]));
    assert.equal(bin.type, 'text');
    assert.match((bin as { text: string }).text, /tool\.bin is a binary file/);
  });

  it('refuses paths that leave the workspace', () => {
    for (const bad of ['/etc/passwd', '../x', 'a/../../x', 'C:/x', 'a\\b', './a']) assert.equal(isSafeRelativePath(bad), false, bad);
    assert.ok(isSafeRelativePath('src/.env.example'));
  });
});

describe('mentions: merging workspace and container results', () => {
  const index = new FileIndex(['src/app.ts', 'src/api.ts', 'local/only.ts']);
  it('de-duplicates by relative path and marks where each file lives', () => {
    const items = mergeResults('a', {
      local: index.query('a', 10),
      container: ['src/app.ts', 'server/agent.ts', './src/api.ts'],
      localHas: (p) => index.has(p), containerHas: () => false,
    }, 10);
    const where = Object.fromEntries(items.map((i) => [i.path, i.source]));
    assert.deepEqual(where, { 'src/app.ts': 'both', 'src/api.ts': 'both', 'server/agent.ts': 'container', 'local/only.ts': 'workspace' });
    assert.equal(items.length, 4, 'each path once');
  });

  it('a container path outside the local top hits is still "both" when the workspace has it; known container paths mark local hits', () => {
    const items = mergeResults('only', {
      local: [], container: ['local/only.ts'], localHas: (p) => index.has(p), containerHas: () => false,
    }, 10);
    assert.deepEqual(items, [{ path: 'local/only.ts', source: 'both', kind: 'file' }]);
    const known = mergeResults('app', { local: index.query('app', 5), container: [], localHas: () => true, containerHas: (p) => p === 'src/app.ts' }, 5);
    assert.equal(known[0]!.source, 'both');
  });

  it('ranks the union with one scorer: a container file with a better name match comes first', () => {
    const items = mergeResults('agent', {
      local: new FileIndex(['docs/a-general-note.md']).query('agent', 5), container: ['src/agent.ts'], localHas: () => false, containerHas: () => false,
    }, 5);
    assert.deepEqual(items.map((i) => i.path), ['src/agent.ts', 'docs/a-general-note.md']);
  });
});

class FakeWorkspace implements WorkspaceFiles {
  readonly index: FileIndex;
  built = false;
  constructor(readonly files: Record<string, string>, readonly remoteUrls: string[] = []) { this.index = new FileIndex(Object.keys(files)); }
  ready() { this.built = true; return Promise.resolve(); }
  query(q: string, limit: number) { return this.index.query(q, limit); }
  has(p: string) { return this.index.has(p); }
  read(p: string) { const t = this.files[p]; return t === undefined ? Promise.reject(new Error('gone')) : Promise.resolve(utf8(t)); }
  remotes() { return Promise.resolve(this.remoteUrls); }
}

class FakeContainer implements ContainerFiles {
  finds: string[] = [];
  fail = false;
  constructor(readonly paths: string[], readonly repo: string | null, readonly dir = '/srv/workspace') {}
  find(query: string, limit: number) {
    this.finds.push(query);
    if (this.fail) return Promise.reject(new Error('409 project_not_running'));
    return Promise.resolve(new FileIndex(this.paths).query(query, limit).map((h) => h.path));
  }
  directory() { return Promise.resolve(this.dir); }
  repositoryUrl() { return this.repo; }
}

/** Timers the test fires by hand. */
function manualTimers() {
  let pending: Array<() => void> = [];
  let now = 1000;
  return {
    timers: {
      setTimeout: (fn: () => void) => { pending.push(fn); return fn; },
      clearTimeout: (h: unknown) => { pending = pending.filter((f) => f !== h); },
      now: () => now,
    },
    fire: async () => { const run = pending; pending = []; run.forEach((f) => f()); await new Promise((r) => setTimeout(r, 0)); },
    advance: (ms: number) => { now += ms; },
  };
}

describe('mentions: a project\'s picker and prompt parts', () => {
  it('answers from the workspace at once, then again merged with the container\'s files', async () => {
    const ws = new FakeWorkspace({ 'src/app.ts': 'x', 'src/local.ts': 'y' });
    const container = new FakeContainer(['src/app.ts', 'src/appServer.ts'], null);
    const t = manualTimers();
    const pm = new ProjectMentions(ws, container, t.timers, log);
    const posts: MentionResult[][] = [];
    await pm.query(1, 'app', (items) => posts.push(items));
    assert.ok(ws.built, 'the first query builds the index');
    assert.deepEqual(posts, [[{ path: 'src/app.ts', source: 'workspace', kind: 'file' }]]);
    await t.fire();
    assert.deepEqual(posts[1], [{ path: 'src/app.ts', source: 'both', kind: 'file' }, { path: 'src/appServer.ts', source: 'container', kind: 'file' }]);
  });

  it('a bare @ lists the workspace without asking the container', async () => {
    const ws = new FakeWorkspace({ 'src/app.ts': 'x' });
    const container = new FakeContainer(['src/app.ts'], null);
    const t = manualTimers();
    const pm = new ProjectMentions(ws, container, t.timers, log);
    const posts: MentionResult[][] = [];
    await pm.query(1, '', (items) => posts.push(items));
    await t.fire();
    assert.deepEqual(container.finds, []);
    assert.deepEqual(posts, [[{ path: 'src/app.ts', source: 'workspace', kind: 'file' }]]);
  });

  it('keystrokes in quick succession share one container request, and a stale answer is dropped', async () => {
    const ws = new FakeWorkspace({ 'src/app.ts': 'x' });
    const container = new FakeContainer(['src/app.ts'], null);
    const t = manualTimers();
    const pm = new ProjectMentions(ws, container, t.timers, log);
    const seqs: number[] = [];
    await pm.query(1, 'a', () => seqs.push(1));
    await pm.query(2, 'ap', () => seqs.push(2));
    await pm.query(3, 'app', () => seqs.push(3));
    await t.fire();
    assert.deepEqual(container.finds, ['app']);
    assert.deepEqual(seqs, [1, 2, 3, 3]);
  });

  it('a container that does not answer (stopped project) leaves the local results, and is not asked again for a while', async () => {
    const ws = new FakeWorkspace({ 'src/app.ts': 'x' });
    const container = new FakeContainer([], null);
    container.fail = true;
    const t = manualTimers();
    const pm = new ProjectMentions(ws, container, t.timers, log);
    const posts: MentionResult[][] = [];
    await pm.query(1, 'app', (items) => posts.push(items));
    await t.fire();
    await pm.query(2, 'app', (items) => posts.push(items));
    await t.fire();
    assert.equal(container.finds.length, 1);
    assert.equal(posts.length, 2);
    t.advance(3_500);
    await pm.query(3, 'app', () => undefined);
    await t.fire();
    assert.equal(container.finds.length, 2, 'asked again after the back-off');
  });

  it('same repository: a file the container holds is sent by path; a local-only file inline', async () => {
    const ws = new FakeWorkspace({ 'src/app.ts': 'A\nB\nC', 'notes/new.md': 'not pushed yet' }, ['git@github.com:acme/web.git']);
    const container = new FakeContainer(['src/app.ts'], 'https://github.com/acme/web');
    const pm = new ProjectMentions(ws, container, manualTimers().timers, log);
    const parts = await pm.parts('ses_1', [{ path: 'src/app.ts', range: { start: 2, end: 3 } }, { path: 'notes/new.md' }]);
    assert.deepEqual(parts[0], { type: 'file', mime: 'text/plain', url: 'file:///srv/workspace/src/app.ts?start=2&end=3', filename: 'src/app.ts#L2-3' });
    assert.equal(decode(parts[1] as OcFilePartInput), 'not pushed yet');
  });

  it('another repository (or none): the local content goes inline even when the container has a file of that name', async () => {
    const ws = new FakeWorkspace({ 'src/app.ts': 'local version' }, ['https://github.com/me/fork.git']);
    const container = new FakeContainer(['src/app.ts'], 'https://github.com/acme/web');
    const pm = new ProjectMentions(ws, container, manualTimers().timers, log);
    const [part] = await pm.parts('ses_1', [{ path: 'src/app.ts' }]);
    assert.equal(decode(part as OcFilePartInput), 'local version');
  });

  it('a container-only file is referenced by path; duplicates and unsafe paths are handled', async () => {
    const ws = new FakeWorkspace({});
    const container = new FakeContainer(['server/main.go'], null, '/work/p1');
    const pm = new ProjectMentions(ws, container, manualTimers().timers, log);
    const parts = await pm.parts('ses_1', [{ path: 'server/main.go' }, { path: 'server/main.go' }, { path: '../secret' }]);
    assert.equal(parts.length, 2);
    assert.equal((parts[0] as OcFilePartInput).url, 'file:///work/p1/server/main.go');
    assert.match((parts[1] as { text: string }).text, /not a path inside the workspace/);
  });
});
