import assert from 'node:assert/strict';
import { agentPath, chooseProject, selectionRange } from '../../../../../extension/chat/mentions/mentionTarget';

describe('mentions: Use in Chat and Copy Path', () => {
  it('goes to the given project, else the active chat, the last active one, the only open one, the only project, else asks', () => {
    const projects = [{ id: 'a' }, { id: 'b' }];
    assert.equal(chooseProject({ explicit: 'x', activeChat: 'a', openChats: [], projects }), 'x');
    assert.equal(chooseProject({ activeChat: 'a', lastChat: 'b', openChats: ['a', 'b'], projects }), 'a');
    assert.equal(chooseProject({ lastChat: 'b', openChats: ['a', 'b'], projects }), 'b');
    assert.equal(chooseProject({ lastChat: 'gone', openChats: ['a', 'b'], projects }), 'ask');
    assert.equal(chooseProject({ openChats: ['b'], projects }), 'b');
    assert.equal(chooseProject({ openChats: [], projects: [{ id: 'solo' }] }), 'solo');
    assert.equal(chooseProject({ openChats: [], projects }), 'ask');
  });

  it('turns an editor selection into a 1-based line range', () => {
    const sel = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec }, isEmpty: sl === el && sc === ec });
    assert.deepEqual(selectionRange(sel(9, 0, 23, 5)), { start: 10, end: 24 });
    assert.deepEqual(selectionRange(sel(9, 0, 24, 0)), { start: 10, end: 24 }, 'ending at a line start excludes that line');
    assert.deepEqual(selectionRange(sel(4, 2, 4, 8)), { start: 5, end: 5 });
    assert.equal(selectionRange(sel(4, 2, 4, 2)), undefined);
    assert.equal(selectionRange(undefined), undefined);
  });

  it('names the file as the agent sees it', () => {
    assert.equal(agentPath({ path: 'src/app.ts', range: { start: 10, end: 24 } }, '/srv/ws/'), '/srv/ws/src/app.ts#L10-24');
    assert.equal(agentPath({ path: 'src/app.ts' }, undefined), 'src/app.ts');
    assert.equal(agentPath({ path: 'a.ts', range: { start: 3, end: 3 } }, undefined), 'a.ts#L3');
  });
});
