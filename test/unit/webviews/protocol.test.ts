import assert from 'node:assert/strict';
import { dispatch, type MessageHandlers } from '../../../webviews/protocol/common';
import {
  ProjectHostToWebview, ProjectPersistedState, ProjectWebviewToHost, type ProjectView,
} from '../../../webviews/protocol/project';

function aProjectView(over: Partial<ProjectView> = {}): ProjectView {
  return {
    id: 'p1', name: 'alpha', slug: 'alpha', status: 'running', statusReason: null, tierId: 'standard',
    providerOverride: null, repository: null, runtime: 'local', urls: { agent: 'http://127.0.0.1:4096', vnc: null },
    createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-02T00:00:00.000Z',
    ...over,
  };
}

describe('webview protocol', () => {
  describe('webview → host', () => {
    it('accepts ready and the three requests', () => {
      for (const m of [
        { type: 'ready' },
        { type: 'refresh', requestId: 'r-1' },
        { type: 'deleteProject', requestId: 'r-2' },
        { type: 'openLink', requestId: 'r-3', link: 'vnc' },
      ]) assert.deepEqual(ProjectWebviewToHost.parse(m), m);
    });

    it('refuses unknown types, requests without an id, extra fields and links that are URLs', () => {
      for (const m of [
        { type: 'navigate', url: 'https://example.com' },
        { type: 'refresh' },
        { type: 'refresh', requestId: '' },
        { type: 'ready', extra: true },
        { type: 'openLink', requestId: 'r', link: 'javascript:alert(1)' },
        { type: 'openLink', requestId: 'r', link: 'agent', url: 'https://evil.example' },
        'ready',
        null,
      ]) assert.equal(ProjectWebviewToHost.safeParse(m).success, false, JSON.stringify(m));
    });
  });

  describe('host → webview', () => {
    it('accepts each panel state', () => {
      for (const state of [
        { kind: 'loading' },
        { kind: 'project', project: aProjectView(), tier: null, offline: null },
        { kind: 'project', project: aProjectView({ repository: { url: 'https://git.example/a', branch: 'main', sync: { enabled: true, direction: 'both' } } }), tier: null, offline: 'Offline' },
        { kind: 'deleted', name: 'alpha' },
        { kind: 'unavailable', message: 'Not connected' },
      ]) assert.deepEqual(ProjectHostToWebview.parse({ type: 'state', state }), { type: 'state', state });
    });

    it('refuses a project with an unknown status or a missing field', () => {
      const bad = [
        { type: 'state', state: { kind: 'project', project: aProjectView({ status: 'exploded' as never }), tier: null, offline: null } },
        { type: 'state', state: { kind: 'project', project: { ...aProjectView(), slug: undefined }, tier: null, offline: null } },
        { type: 'state', state: { kind: 'gone' } },
      ];
      for (const m of bad) assert.equal(ProjectHostToWebview.safeParse(m).success, false, JSON.stringify(m));
    });

    it('accepts responses with error exactly when ok is false', () => {
      assert.ok(ProjectHostToWebview.safeParse({ type: 'response', requestId: 'r', ok: true }).success);
      assert.ok(ProjectHostToWebview.safeParse({ type: 'response', requestId: 'r', ok: false, error: 'no' }).success);
      assert.equal(ProjectHostToWebview.safeParse({ type: 'response', requestId: 'r', ok: false }).success, false);
      assert.equal(ProjectHostToWebview.safeParse({ type: 'response', requestId: 'r', ok: true, error: 'x' }).success, false);
    });
  });

  it('persists only version 1 state', () => {
    assert.ok(ProjectPersistedState.safeParse({ v: 1, last: { kind: 'deleted', name: 'a' } }).success);
    assert.ok(ProjectPersistedState.safeParse({ v: 1, last: null }).success);
    assert.equal(ProjectPersistedState.safeParse({ v: 2, last: null }).success, false);
    assert.equal(ProjectPersistedState.safeParse({ last: null }).success, false);
  });

  it('dispatches to the handler of the message type', () => {
    const seen: string[] = [];
    const handlers: MessageHandlers<ProjectWebviewToHost> = {
      ready: () => seen.push('ready'),
      refresh: (m) => seen.push(`refresh ${m.requestId}`),
      deleteProject: (m) => seen.push(`delete ${m.requestId}`),
      openLink: (m) => seen.push(`open ${m.link}`),
      loadTimeline: (m) => seen.push(`timeline ${m.kinds.join(',')} ${m.more}`),
    };
    dispatch(handlers, { type: 'openLink', requestId: 'x', link: 'agent' });
    dispatch(handlers, { type: 'refresh', requestId: 'y' });
    dispatch(handlers, { type: 'loadTimeline', requestId: 'z', kinds: ['crash', 'push'], more: false });
    assert.deepEqual(seen, ['open agent', 'refresh y', 'timeline crash,push false']);
    assert.equal(ProjectWebviewToHost.safeParse({ type: 'loadTimeline', requestId: 'z', kinds: ['reboot'], more: false })
      .success, false, 'an unknown kind is refused');
    // @ts-expect-error a handler map without `openLink` does not compile
    const missing: MessageHandlers<ProjectWebviewToHost> = {
      ready: () => 0, refresh: () => 0, deleteProject: () => 0, loadTimeline: () => 0,
    };
    void missing;
  });
});
