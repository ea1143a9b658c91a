import assert from 'node:assert/strict';
import type { ConnectionState } from '../../../../extension/connection/connectionState';
import { linkTarget, panelState, panelTitle, projectView, type PanelInputs } from '../../../../extension/projects/projectDetailsModel';
import { ProjectPanelState } from '../../../../webviews/protocol/project';
import { aProject, aTier } from '../builders';

const connected: ConnectionState = { kind: 'connected', url: 'http://127.0.0.1:7420', user: { id: 'u1', username: 'ada' } as never, version: '1' };

function inputs(over: Partial<PanelInputs> = {}): PanelInputs {
  return { connection: connected, projectsLoad: { kind: 'loaded', at: 1 }, project: aProject(), tier: aTier(), knownName: 'alpha', notFound: false, ...over };
}

describe('project details model', () => {
  it('maps a contract project and tier to a state the protocol accepts', () => {
    const state = panelState(inputs({ project: aProject({ repository: { url: 'https://git.example/a', branch: 'dev', sync: { enabled: false, direction: 'pull' } } }) }));
    assert.equal(state.kind, 'project');
    assert.ok(ProjectPanelState.safeParse(state).success);
    assert.deepEqual(state.kind === 'project' && state.tier, {
      id: 'standard', name: 'Standard', description: 'Everyday work', cpus: 2, memory: '4g', memoryReservation: '2g',
      storageGb: 30, hasDesktopAccess: false, isDefault: false, retired: false,
    });
  });

  it('drops contract fields the panel does not show (the protocol is strict)', () => {
    const withExtra = { ...aProject(), secretThing: 'x' } as ReturnType<typeof aProject>;
    assert.equal('secretThing' in projectView(withExtra), false);
  });

  it('marks the data as stale while offline', () => {
    const state = panelState(inputs({ connection: { kind: 'offline', url: 'u', reason: 'ECONNREFUSED', retryInMs: 1000 } }));
    assert.equal(state.kind === 'project' && state.offline, 'Offline: showing the last known state. ECONNREFUSED');
  });

  it('says deleted when a complete list lacks the project, loading while the list loads', () => {
    assert.deepEqual(panelState(inputs({ project: undefined })), { kind: 'deleted', name: 'alpha' });
    assert.deepEqual(panelState(inputs({ project: undefined, projectsLoad: { kind: 'loading' } })), { kind: 'loading' });
    assert.deepEqual(panelState(inputs({ project: undefined, projectsLoad: { kind: 'loading' }, notFound: true, knownName: undefined })), { kind: 'deleted', name: 'This project' });
    assert.deepEqual(panelState(inputs({ project: undefined, projectsLoad: { kind: 'error', message: 'boom' } })), { kind: 'unavailable', message: 'Could not load projects: boom' });
  });

  it('is unavailable while disconnected', () => {
    assert.equal(panelState(inputs({ connection: { kind: 'disconnected' } })).kind, 'unavailable');
  });

  it('titles the panel after the project', () => {
    assert.equal(panelTitle(panelState(inputs()), 'alpha'), 'Project: alpha');
    assert.equal(panelTitle({ kind: 'deleted', name: 'alpha' }, 'alpha'), 'Project: alpha (deleted)');
    assert.equal(panelTitle({ kind: 'loading' }, undefined), 'Project');
  });

  it('opens only http(s) links the project itself has, resolving relative ones against the server', () => {
    const p = aProject({ urls: { agent: '/api/projects/p1/opencode/', vnc: 'javascript:alert(1)' } });
    assert.deepEqual(linkTarget(p, 'agent', 'http://127.0.0.1:7420'), { url: 'http://127.0.0.1:7420/api/projects/p1/opencode/' });
    assert.deepEqual(linkTarget(p, 'vnc', 'http://127.0.0.1:7420'), { error: 'Refusing to open a javascript: URL.' });
    assert.match((linkTarget(aProject(), 'agent', undefined) as { error: string }).error, /deploy it first/);
  });
});
