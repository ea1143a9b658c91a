import assert from 'node:assert/strict';
import {
  ProjectHostToWebview, ProjectPersistedState, ProjectWebviewToHost, type ProjectHostToWebview as HostMsg,
} from '../../../webviews/protocol/project';
import { Ipc, type MessageSource, type VsCodeApi } from '../../../webviews/shared/ipc';

class FakeApi implements VsCodeApi {
  posted: unknown[] = [];
  state: unknown = undefined;
  postMessage(m: unknown): void { this.posted.push(m); }
  getState(): unknown { return this.state; }
  setState(s: unknown): void { this.state = s; }
}

class FakeWindow implements MessageSource {
  private readonly listeners = new Set<(e: { data: unknown }) => void>();
  addEventListener(_t: 'message', l: (e: { data: unknown }) => void): void { this.listeners.add(l); }
  removeEventListener(_t: 'message', l: (e: { data: unknown }) => void): void { this.listeners.delete(l); }
  deliver(data: unknown): void { for (const l of this.listeners) l({ data }); }
  get count(): number { return this.listeners.size; }
}

function setup(timeoutMs = 1000) {
  const api = new FakeApi();
  const source = new FakeWindow();
  const problems: string[] = [];
  const ipc = new Ipc({
    incoming: ProjectHostToWebview, outgoing: ProjectWebviewToHost, state: ProjectPersistedState,
    api, source, timeoutMs, onInvalid: (p) => problems.push(p),
  });
  const states: HostMsg[] = [];
  ipc.listen({ state: (m) => states.push(m) });
  return { api, source, ipc, problems, states };
}

describe('webview ipc', () => {
  it('posts ready exactly as written', () => {
    const { api, ipc } = setup();
    ipc.post({ type: 'ready' });
    assert.deepEqual(api.posted, [{ type: 'ready' }]);
  });

  it('hands valid host messages to their handler and drops invalid ones', () => {
    const { source, states, problems } = setup();
    source.deliver({ type: 'state', state: { kind: 'loading' } });
    source.deliver({ type: 'state', state: { kind: 'bogus' } });
    source.deliver({ type: 'eval', code: 'alert(1)' });
    assert.deepEqual(states, [{ type: 'state', state: { kind: 'loading' } }]);
    assert.equal(problems.length, 2);
  });

  it('gives each request an id and settles it with the matching response', async () => {
    const { api, source, ipc } = setup();
    const refreshed = ipc.request({ type: 'refresh' });
    const deleted = ipc.request({ type: 'deleteProject' });
    const [first, second] = api.posted as Array<{ type: string; requestId: string }>;
    assert.equal(first?.type, 'refresh');
    assert.notEqual(first?.requestId, second?.requestId);
    source.deliver({ type: 'response', requestId: second!.requestId, ok: false, error: 'The server said no' });
    source.deliver({ type: 'response', requestId: first!.requestId, ok: true });
    await refreshed;
    await assert.rejects(deleted, /The server said no/);
  });

  it('rejects a request the host never answers, after its timeout', async () => {
    const { ipc } = setup(20);
    await assert.rejects(ipc.request({ type: 'openLink', link: 'agent' }), /did not answer "openLink" within/);
  });

  it('refuses to send a message that breaks the protocol', () => {
    const { api, ipc } = setup();
    assert.throws(() => ipc.post({ type: 'ready', sneaky: 1 } as never), /invalid message/);
    assert.deepEqual(api.posted, []);
  });

  it('restores persisted state only when it is valid version-1 state', () => {
    const { api, ipc, problems } = setup();
    assert.equal(ipc.getState(), undefined);
    ipc.setState({ v: 1, last: { kind: 'deleted', name: 'alpha' } });
    assert.deepEqual(api.state, { v: 1, last: { kind: 'deleted', name: 'alpha' } });
    assert.deepEqual(ipc.getState(), { v: 1, last: { kind: 'deleted', name: 'alpha' } });
    api.state = { v: 0, projects: [] };
    assert.equal(ipc.getState(), undefined);
    assert.equal(problems.length, 1);
    assert.throws(() => ipc.setState({ v: 2 } as never), /invalid state/);
  });

  it('stops listening and fails pending requests on dispose', async () => {
    const { source, ipc } = setup();
    const pending = ipc.request({ type: 'refresh' });
    ipc.dispose();
    assert.equal(source.count, 0);
    await assert.rejects(pending, /closing/);
  });
});
