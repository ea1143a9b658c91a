import assert from 'node:assert/strict';
import { formatMention, fuzzyFilter, fuzzyScore, mentionAtCursor, mentionsInText, parseMention } from '../../../../webviews/chat/mentions';
import type { MentionResult } from '../../../../webviews/protocol';

describe('chat mentions', () => {
  it('finds the @query the cursor is in, only at a word start', () => {
    assert.deepEqual(mentionAtCursor('see @src/ap', 11), { start: 4, query: 'src/ap' });
    assert.deepEqual(mentionAtCursor('@', 1), { start: 0, query: '' });
    assert.equal(mentionAtCursor('mail a@b.c', 10), null);
    assert.equal(mentionAtCursor('@src/app.ts done', 16), null);
  });

  it('writes and reads mentions with line ranges', () => {
    assert.equal(formatMention({ path: 'src/app.ts', range: { start: 10, end: 24 } }), '@src/app.ts#L10-24');
    assert.equal(formatMention({ path: 'src/app.ts', range: { start: 7, end: 7 } }), '@src/app.ts#L7');
    assert.deepEqual(parseMention('@src/app.ts#L10-24'), { path: 'src/app.ts', range: { start: 10, end: 24 } });
    assert.deepEqual(parseMention('src/app.ts#L10-L24'), { path: 'src/app.ts', range: { start: 10, end: 24 } });
    assert.deepEqual(parseMention('@a.ts#L5'), { path: 'a.ts', range: { start: 5, end: 5 } });
    assert.deepEqual(parseMention('@a.ts#L9-3'), { path: 'a.ts' });
    assert.equal(parseMention('@has space'), null);
  });

  it('sends the picked mentions still in the text, once each, ignoring typed look-alikes', () => {
    const picked = new Set(['@src/a.ts', '@src/b.ts#L1-2', '@gone.ts']);
    assert.deepEqual(mentionsInText('fix @src/a.ts and @src/b.ts#L1-2, also @src/a.ts. Mail me@x.y or @other', picked), [
      { path: 'src/a.ts' }, { path: 'src/b.ts', range: { start: 1, end: 2 } },
    ]);
  });

  it('ranks fuzzy matches: file-name prefix, segment starts, then shorter paths', () => {
    const items: MentionResult[] = ['docs/readme.md', 'src/app.ts', 'src/components/AppShell.tsx', 'test/unit/app.test.ts', 'packages/api/src/x.ts']
      .map((path) => ({ path, source: 'workspace' }));
    assert.deepEqual(fuzzyFilter(items, 'app').map((i) => i.path), ['src/app.ts', 'test/unit/app.test.ts', 'src/components/AppShell.tsx']);
    assert.deepEqual(fuzzyFilter(items, 'sapp').map((i) => i.path)[0], 'src/app.ts');
    assert.equal(fuzzyScore('zzz', 'src/app.ts'), null);
    assert.equal(fuzzyFilter(items, '').length, items.length);
  });
});
