import assert from 'node:assert/strict';
import { FileIndex, normaliseQuery } from '../../../../../extension/chat/mentions/fileIndex';
import { scorePath } from '../../../../../extension/chat/mentions/fuzzy';
import { TopN } from '../../../../../extension/chat/mentions/topN';

const PATHS = [
  'docs/readme.md', 'src/app.ts', 'src/components/AppShell.tsx', 'test/unit/app.test.ts', 'packages/api/src/x.ts',
  'src/utils/mapper.ts', 'src/auth/session.ts', 'README.md',
];

/** The reference ranking: every path scored, sorted, no heap, no pruning, no reuse. */
function naive(paths: string[], q: string, limit: number): string[] {
  const nq = normaliseQuery(q);
  return paths.flatMap((p) => {
    const s = scorePath(nq, p.toLowerCase(), p, p.lastIndexOf('/') + 1);
    return s === null ? [] : [{ p, s }];
  }).sort((a, b) => b.s - a.s || a.p.length - b.p.length || (a.p < b.p ? -1 : 1)).slice(0, limit).map((x) => x.p);
}

describe('mentions: the workspace file index', () => {
  it('ranks file-name matches first: exact name prefix, then shorter paths; folder-spread matches after', () => {
    const index = new FileIndex(PATHS);
    assert.deepEqual(index.query('app', 10).map((h) => h.path), ['src/app.ts', 'test/unit/app.test.ts', 'src/components/AppShell.tsx', 'src/utils/mapper.ts']);
    assert.deepEqual(index.query('sapp', 10).map((h) => h.path)[0], 'src/app.ts', 'segment starts (s/app) beat a scattered match');
    assert.equal(index.query('zzz', 10).length, 0);
    assert.deepEqual(index.query('readme', 10).map((h) => h.path), ['README.md', 'docs/readme.md'], 'case-insensitive; the shorter path first');
  });

  it('camelCase humps and segment starts count: "as" finds AppShell before paths that merely contain a and s', () => {
    const index = new FileIndex(['src/alias.ts', 'src/components/AppShell.tsx', 'lib/base.ts']);
    assert.equal(index.query('as', 3)[0]!.path, 'src/components/AppShell.tsx');
  });

  it('a query with a folder matches across segments, and a #L range or ./ in the query is ignored', () => {
    const index = new FileIndex(PATHS);
    assert.equal(index.query('src/auth/ses', 5)[0]!.path, 'src/auth/session.ts');
    assert.equal(index.query('./src/app.ts#L10-24', 5)[0]!.path, 'src/app.ts');
    assert.equal(normaliseQuery(' .\\Src\\App#L3 '), 'src/app');
  });

  it('an empty query lists open editors first, then the shortest paths', () => {
    const index = new FileIndex(PATHS);
    index.setBoost(['src/auth/session.ts']);
    assert.deepEqual(index.query('', 3).map((h) => h.path), ['src/auth/session.ts', 'README.md', 'src/app.ts']);
  });

  it('sees files added and removed (the watcher), folders included', () => {
    const index = new FileIndex(PATHS);
    assert.equal(index.query('brandnew', 5).length, 0);
    assert.ok(index.add('src/brandNew.ts'));
    assert.equal(index.add('src/brandNew.ts'), false, 'no duplicates');
    assert.equal(index.query('brandnew', 5)[0]!.path, 'src/brandNew.ts');
    index.remove('src/brandNew.ts');
    assert.equal(index.query('brandnew', 5).length, 0);
    assert.equal(index.removeUnder('src'), 4);
    assert.deepEqual(index.query('ts', 10).map((h) => h.path).sort(), ['packages/api/src/x.ts', 'test/unit/app.test.ts']);
  });

  it('typing narrows the last answer and still returns exactly what a full scan would, also after edits in between', () => {
    // A workspace big enough for the heap, the bounds and the reuse of the previous matches to matter.
    const words = ['src', 'lib', 'components', 'utils', 'test', 'app', 'server', 'user', 'dialog', 'auth', 'session', 'router', 'index'];
    const paths: string[] = [];
    let seed = 7;
    const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
    for (let i = 0; i < 3000; i++) {
      const depth = 1 + Math.floor(rnd() * 4);
      const segs = Array.from({ length: depth }, () => words[Math.floor(rnd() * words.length)]!);
      const name = words[Math.floor(rnd() * words.length)]! + (rnd() < 0.4 ? 'Helper' : '') + i + (rnd() < 0.5 ? '.ts' : '.tsx');
      paths.push(`${segs.join('/')}/${name}`);
    }
    const index = new FileIndex(paths);
    for (const typed of ['userdialog', 'srcauthhelper', 'rtidx.ts']) {
      for (let k = 1; k <= typed.length; k++) {
        const q = typed.slice(0, k);
        assert.deepEqual(index.query(q, 12).map((h) => h.path), naive(paths, q, 12), `query ${q}`);
        if (k === 4) { index.add(`user/${q}Late.ts`); paths.push(`user/${q}Late.ts`); }
      }
    }
  });

  it('keeps the N best in its heap', () => {
    const top = new TopN(3);
    [5, 1, 9, 3, 7, 9].forEach((s, id) => top.push(s, id, id));
    assert.deepEqual(top.entries().sort((a, b) => b.score - a.score || a.id - b.id).map((e) => e.id), [2, 5, 4]);
    assert.equal(top.threshold(), 7);
  });
});
