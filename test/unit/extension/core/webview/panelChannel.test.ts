import assert from 'node:assert/strict';
import { PanelChannel, type WebviewPort } from '../../../../../extension/core/webview/panelChannel';
import type { Logger } from '../../../../../extension/core/ports';
import { ProjectHostToWebview, ProjectWebviewToHost } from '../../../../../webviews/protocol/project';

class FakeWebview implements WebviewPort {
  posted: unknown[] = [];
  private listener: ((m: unknown) => void) | undefined;
  postMessage(m: unknown): Promise<boolean> { this.posted.push(m); return Promise.resolve(true); }
  onDidReceiveMessage(l: (m: unknown) => void) { this.listener = l; return { dispose: () => { this.listener = undefined; } }; }
  send(m: unknown): void { this.listener?.(m); }
  get listening(): boolean { return this.listener !== undefined; }
}

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, debug: (m) => lines.push(`debug ${m}`), info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

const settle = () => new Promise((r) => setImmediate(r));

function setup(handlers: Partial<Record<'refresh' | 'deleteProject' | 'openLink', () => unknown>> = {}) {
  const webview = new FakeWebview();
  const log = recordingLog();
  const calls: string[] = [];
  let readies = 0;
  const channel = new PanelChannel(webview, {
    name: 'test', incoming: ProjectWebviewToHost, outgoing: ProjectHostToWebview, log,
    onReady: () => readies++,
    handlers: {
      refresh: async () => { calls.push('refresh'); await handlers.refresh?.(); },
      deleteProject: async () => { calls.push('delete'); await handlers.deleteProject?.(); },
      openLink: async (m) => { calls.push(`open ${m.link}`); await handlers.openLink?.(); },
      loadTimeline: async (m) => { calls.push(`timeline ${m.kinds.join(',')}`); },
    },
  });
  return { webview, log, calls, channel, readies: () => readies };
}

describe('PanelChannel', () => {
  it('holds state until the webview is ready, then posts only the latest', () => {
    const { webview, channel } = setup();
    channel.postState({ type: 'state', state: { kind: 'loading' } });
    channel.postState({ type: 'state', state: { kind: 'deleted', name: 'a' } });
    assert.deepEqual(webview.posted, []);
    webview.send({ type: 'ready' });
    assert.deepEqual(webview.posted, [{ type: 'state', state: { kind: 'deleted', name: 'a' } }]);
    assert.equal(channel.ready, true);
    channel.postState({ type: 'state', state: { kind: 'loading' } });
    assert.equal(webview.posted.length, 2);
  });

  it('posts the latest state again when a reloaded webview says ready again', () => {
    const { webview, channel, readies } = setup();
    channel.postState({ type: 'state', state: { kind: 'loading' } });
    webview.send({ type: 'ready' });
    channel.reset();
    channel.postState({ type: 'state', state: { kind: 'unavailable', message: 'x' } });
    assert.equal(webview.posted.length, 1);
    webview.send({ type: 'ready' });
    assert.deepEqual(webview.posted.at(-1), { type: 'state', state: { kind: 'unavailable', message: 'x' } });
    assert.deepEqual([readies(), channel.readyCount], [2, 2]);
  });

  it('answers a request ok when its handler resolves, with the error when it throws', async () => {
    const { webview, calls } = setup({ deleteProject: () => { throw new Error('Could not delete'); } });
    webview.send({ type: 'ready' });
    webview.send({ type: 'refresh', requestId: 'a' });
    webview.send({ type: 'deleteProject', requestId: 'b' });
    await settle();
    assert.deepEqual(calls, ['refresh', 'delete']);
    const byId = (webview.posted as Array<{ requestId: string }>).sort((x, y) => x.requestId.localeCompare(y.requestId));
    assert.deepEqual(byId, [
      { type: 'response', requestId: 'a', ok: true },
      { type: 'response', requestId: 'b', ok: false, error: 'Could not delete' },
    ]);
  });

  it('drops and logs messages that fail validation, without calling a handler', async () => {
    const { webview, calls, log } = setup();
    webview.send({ type: 'openLink', requestId: 'c', link: 'file:///etc/passwd' });
    webview.send({ type: 'runShell', cmd: 'rm -rf /' });
    await settle();
    assert.deepEqual(calls, []);
    assert.deepEqual(webview.posted, []);
    assert.equal(log.lines.filter((l) => l.startsWith('warn') && l.includes('invalid message')).length, 2);
  });

  it('refuses to post a state that breaks the protocol', () => {
    const { webview, channel, log } = setup();
    webview.send({ type: 'ready' });
    channel.postState({ type: 'state', state: { kind: 'project' } } as never);
    assert.deepEqual(webview.posted, []);
    assert.ok(log.lines.some((l) => l.startsWith('error') && l.includes('invalid "state"')));
  });

  it('stops listening on dispose', () => {
    const { webview, channel } = setup();
    channel.dispose();
    assert.equal(webview.listening, false);
  });
});
