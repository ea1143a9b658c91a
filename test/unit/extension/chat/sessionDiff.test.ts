import assert from 'node:assert/strict';
import { catalogFrom, lastChoice } from '../../../../extension/chat/agentCatalog';
import { diffSides, OcFileDiffList, sidesFromPatch, textBefore } from '../../../../extension/chat/sessionDiff';
import { startAndWait, type StarterPort } from '../../../../extension/chat/projectStarter';
import type { ProjectStatus } from '../../../../backend/contract';

// What opencode's /vcs/diff and /session/:id/diff answer (captured from opencode 1.18.33).
const PATCH = 'diff --git a/a.txt b/a.txt\nindex 4cb29ea..6addb9b 100644\n--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,4 @@\n one\n-two\n+TWO\n three\n+four\n';

describe('chat: session diff', () => {
  it('rebuilds the text before the patch from the current text', () => {
    assert.equal(textBefore('one\nTWO\nthree\nfour\n', PATCH), 'one\ntwo\nthree\n');
    const long = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'l8', 'l9', 'l10'];
    const after = [...long.slice(0, 6), 'NEW', ...long.slice(6)].join('\n') + '\n';
    const patch = '--- a/f\n+++ b/f\n@@ -5,4 +5,5 @@\n l5\n l6\n+NEW\n l7\n l8\n';
    assert.equal(textBefore(after, patch), long.join('\n') + '\n', 'lines outside the hunk are kept');
  });

  it('refuses a current text that does not match the patch', () => {
    assert.equal(textBefore('one\nchanged since\nthree\n', PATCH), undefined);
  });

  it('falls back to the hunks alone, and handles added and deleted files', () => {
    assert.deepEqual(sidesFromPatch(PATCH), { before: 'one\ntwo\nthree', after: 'one\nTWO\nthree\nfour' });
    const [d] = OcFileDiffList.parse([{ file: 'a.txt', patch: PATCH, additions: 2, deletions: 1, status: 'modified' }, { nope: 1 }]);
    assert.deepEqual(diffSides(d!, 'one\nTWO\nthree\nfour\n'), { before: 'one\ntwo\nthree\n', after: 'one\nTWO\nthree\nfour\n', partial: false });
    assert.deepEqual(diffSides(d!, undefined), { before: 'one\ntwo\nthree', after: 'one\nTWO\nthree\nfour', partial: true });
    assert.deepEqual(diffSides({ file: 'n', additions: 1, deletions: 0, status: 'added', patch: '@@ -0,0 +1 @@\n+hi\n' }, 'hi\n'), { before: '', after: 'hi\n', partial: false });
    assert.deepEqual(diffSides({ file: 'g', additions: 0, deletions: 2, status: 'deleted', patch: '@@ -1,2 +0,0 @@\n-a\n-b\n' }, undefined), { before: 'a\nb', after: '', partial: false });
  });
});

describe('chat: model and agent pickers', () => {
  it('lists the models of the providers the agent has, with its default, and primary agents only', () => {
    const c = catalogFrom(
      { providers: [{ id: 'fake', name: 'Fake', models: { 'fake-model': { id: 'fake-model', name: 'Fake' }, other: { name: 'Other' } } }, { bad: true }], default: { fake: 'fake-model' } },
      [{ name: 'build', mode: 'primary', description: 'Builds' }, { name: 'explore', mode: 'subagent' }, { name: 'title', mode: 'primary', hidden: true }, { name: 'plan', mode: 'primary' }],
    );
    assert.deepEqual(c, {
      models: [{ providerId: 'fake', modelId: 'fake-model', name: 'Fake · Fake' }, { providerId: 'fake', modelId: 'other', name: 'Fake · Other' }],
      agents: [{ name: 'build', description: 'Builds' }, { name: 'plan' }],
      defaultModel: { providerId: 'fake', modelId: 'fake-model' },
      defaultAgent: 'build',
    });
    assert.deepEqual(catalogFrom(undefined, 'junk'), { models: [], agents: [] });
  });

  it('starts on the model and agent of the session\'s last prompt', () => {
    assert.deepEqual(lastChoice([
      { info: { role: 'user', agent: 'build', model: { providerID: 'a', modelID: 'x' } } },
      { info: { role: 'user', agent: 'plan', model: { providerID: 'b', modelID: 'y' } } },
      { info: { role: 'assistant' } },
    ]), { model: { providerId: 'b', modelId: 'y' }, agent: 'plan' });
    assert.deepEqual(lastChoice([]), {});
  });
});

describe('chat: starting a stopped project', () => {
  function port(initial: ProjectStatus, onStart: (set: (s: ProjectStatus) => void) => void = () => undefined) {
    let status: ProjectStatus | undefined = initial;
    const listeners = new Set<() => void>();
    const calls: string[] = [];
    const set = (s: ProjectStatus | undefined) => { status = s; for (const l of [...listeners]) l(); };
    const p: StarterPort = {
      status: () => status,
      onChange: (l) => { listeners.add(l); return { dispose: () => listeners.delete(l) }; },
      start: () => { calls.push('start'); onStart(set); return Promise.resolve(); },
      deploy: () => { calls.push('deploy'); onStart(set); return Promise.resolve(); },
    };
    return { p, calls, set };
  }

  it('starts a stopped project and resolves once it runs; deploys one never deployed', async () => {
    const a = port('stopped', (set) => { set('starting'); setTimeout(() => set('running'), 5); });
    await startAndWait(a.p, new AbortController().signal);
    assert.deepEqual(a.calls, ['start']);
    const b = port('not_deployed', (set) => setTimeout(() => set('running'), 5));
    await startAndWait(b.p, new AbortController().signal);
    assert.deepEqual(b.calls, ['deploy']);
  });

  it('fails with a next step when it crashes, and stops waiting when cancelled', async () => {
    const a = port('stopped', (set) => { set('starting'); setTimeout(() => set('crashed'), 5); });
    await assert.rejects(startAndWait(a.p, new AbortController().signal), /crashed instead of running: see Hangar: Show Container Logs/);
    const b = port('stopped');
    const abort = new AbortController();
    const waiting = startAndWait(b.p, abort.signal);
    abort.abort();
    await assert.rejects(waiting, /Start cancelled/);
    await assert.rejects(startAndWait(port('stopping').p, new AbortController().signal), /stopping: send again/);
  });
});
