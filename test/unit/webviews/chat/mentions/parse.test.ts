import assert from 'node:assert/strict';
import {
  formatMention, insertToken, mentionAtCursor, mentionsInText, mentionTokens, parseMention, pickedFromDraft, removeToken, replaceQuery,
} from '../../../../../webviews/chat/mentions/parse';
import { pickerKey } from '../../../../../webviews/chat/mentions/pickerKeys';

describe('chat mentions: parsing the draft', () => {
  it('finds the @query the cursor is in, only at a word start', () => {
    assert.deepEqual(mentionAtCursor('see @src/ap', 11), { start: 4, query: 'src/ap' });
    assert.deepEqual(mentionAtCursor('@', 1), { start: 0, query: '' });
    assert.deepEqual(mentionAtCursor('line\n@app#L1', 12), { start: 5, query: 'app#L1' });
    assert.equal(mentionAtCursor('mail a@b.c', 10), null);
    assert.equal(mentionAtCursor('@src/app.ts done', 16), null);
  });

  it('writes and reads mentions with line ranges', () => {
    assert.equal(formatMention({ path: 'src/app.ts', range: { start: 10, end: 24 } }), '@src/app.ts#L10-24');
    assert.equal(formatMention({ path: 'src/app.ts', range: { start: 7, end: 7 } }), '@src/app.ts#L7');
    assert.equal(formatMention({ path: 'README.md' }), '@README.md');
    assert.deepEqual(parseMention('@src/app.ts#L10-24'), { path: 'src/app.ts', range: { start: 10, end: 24 } });
    assert.deepEqual(parseMention('src/app.ts#L10-L24'), { path: 'src/app.ts', range: { start: 10, end: 24 } });
    assert.deepEqual(parseMention('@a.ts#L5'), { path: 'a.ts', range: { start: 5, end: 5 } });
    assert.deepEqual(parseMention('@a.ts#L9-3'), { path: 'a.ts' }, 'a backwards range is dropped, the file stays');
    assert.deepEqual(parseMention('@a.ts#L0'), { path: 'a.ts' });
    assert.equal(parseMention('@has space'), null);
    for (const m of [{ path: 'x/y.ts' }, { path: 'x.ts', range: { start: 3, end: 9 } }]) assert.deepEqual(parseMention(formatMention(m)), m);
  });

  it('sends the picked mentions still in the text, once each, ignoring typed look-alikes', () => {
    const picked = new Set(['@src/a.ts', '@src/b.ts#L1-2', '@gone.ts']);
    assert.deepEqual(mentionsInText('fix @src/a.ts and @src/b.ts#L1-2, also @src/a.ts. Mail me@x.y or @other', picked), [
      { path: 'src/a.ts' }, { path: 'src/b.ts', range: { start: 1, end: 2 } },
    ]);
    assert.deepEqual(mentionTokens('@a.ts, (@b) x@y @c.'), ['@a.ts', '@c']);
  });

  it('a restored draft turns path-like tokens into chips, not @people', () => {
    assert.deepEqual([...pickedFromDraft('ask @alice about @src/a.ts and @b.md#L2 or @Makefile#L3')], ['@src/a.ts', '@b.md#L2', '@Makefile#L3']);
  });

  it('replaces the typed @query with the picked token and puts the cursor after it', () => {
    const text = 'look at @ap please';
    assert.deepEqual(replaceQuery(text, 8, 11, '@src/app.ts'), { text: 'look at @src/app.ts please', cursor: 20 });
    assert.deepEqual(replaceQuery('@x', 0, 2, '@x.ts'), { text: '@x.ts ', cursor: 6 });
  });

  it('inserts a token at the cursor with spaces around it as needed', () => {
    assert.deepEqual(insertToken('', 0, '@a.ts#L1-2'), { text: '@a.ts#L1-2 ', cursor: 11 });
    assert.deepEqual(insertToken('explain', 7, '@a.ts'), { text: 'explain @a.ts ', cursor: 14 });
    assert.deepEqual(insertToken('see  now', 4, '@a.ts'), { text: 'see @a.ts now', cursor: 10 });
    assert.deepEqual(insertToken('x', 99, '@a.ts'), { text: 'x @a.ts ', cursor: 8 });
  });

  it('removing a chip removes its token from the text', () => {
    assert.equal(removeToken('fix @a.ts and @b.ts now', '@a.ts'), 'fix and @b.ts now');
    assert.equal(removeToken('@a.ts ask', '@a.ts'), 'ask');
    assert.equal(removeToken('see @a.ts, @a.tsx', '@a.ts'), 'see , @a.tsx', 'whole tokens only');
  });
});

describe('chat mentions: picker keyboard', () => {
  it('arrows move and wrap, Enter and Tab pick, Escape closes, other keys are the textarea\'s', () => {
    assert.deepEqual(pickerKey('ArrowDown', 0, 3), { kind: 'move', active: 1 });
    assert.deepEqual(pickerKey('ArrowDown', 2, 3), { kind: 'move', active: 0 });
    assert.deepEqual(pickerKey('ArrowUp', 0, 3), { kind: 'move', active: 2 });
    assert.deepEqual(pickerKey('Enter', 1, 3), { kind: 'pick', index: 1 });
    assert.deepEqual(pickerKey('Tab', 5, 3), { kind: 'pick', index: 2 });
    assert.deepEqual(pickerKey('Escape', 1, 3), { kind: 'close' });
    assert.equal(pickerKey('a', 0, 3), null);
  });

  it('Enter with no results or with Shift, and keys while composing (IME), are left alone', () => {
    assert.equal(pickerKey('Enter', 0, 0), null);
    assert.equal(pickerKey('Enter', 0, 3, { shift: true }), null);
    assert.equal(pickerKey('Enter', 0, 3, { composing: true }), null);
  });
});
