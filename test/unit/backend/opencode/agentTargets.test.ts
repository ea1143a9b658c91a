import assert from 'node:assert/strict';
import type { ProjectRow } from '../../../../backend/db/schema';
import { notFound } from '../../../../backend/errors';
import { EventHub } from '../../../../backend/events/eventHub';
import { AgentTargets } from '../../../../backend/opencode/upstream';
import { AgentConnections } from '../../../../backend/opencode/agentConnections';
import { basicAuth } from '../../../../backend/runtime/health';
import type { ProjectService } from '../../../../backend/services/projects';

/** The project rows AgentTargets reads, counting the reads. */
function fakeProjects(row: Partial<ProjectRow>) {
  const state = { row: { id: 'p1', owner_id: 'alice', status: 'running', status_reason: null, agent_url: 'http://127.0.0.1:4100/', opencode_password_enc: 'sealed-1', ...row } as ProjectRow, reads: 0 };
  const projects = {
    ownedRow: async (owner: string, id: string) => {
      state.reads++;
      if (state.row.owner_id !== owner || state.row.id !== id) throw notFound('Project');
      return { ...state.row };
    },
    rowById: async () => ({ ...state.row }),
    secrets: async () => ({ opencodePassword: `pw-of-${state.row.opencode_password_enc}`, webhookSecret: 'w' }),
  } as unknown as ProjectService;
  return { state, projects };
}

describe('AgentTargets: the agent proxy resolves a project once, until an event about it', () => {
  it('answers repeated requests without reading the project again', async () => {
    const { state, projects } = fakeProjects({});
    const targets = new AgentTargets(projects, new EventHub(10));
    const first = await targets.forUser('alice', 'p1');
    assert.deepEqual(first, { projectId: 'p1', baseUrl: 'http://127.0.0.1:4100', password: 'pw-of-sealed-1', authorization: basicAuth('pw-of-sealed-1') });
    for (let i = 0; i < 5; i++) assert.deepEqual(await targets.forUser('alice', 'p1'), first);
    assert.equal(state.reads, 1);
  });

  it('still checks the owner: another user gets 404 from the database, not the cached target', async () => {
    const { projects } = fakeProjects({});
    const targets = new AgentTargets(projects, new EventHub(10));
    await targets.forUser('alice', 'p1');
    await assert.rejects(targets.forUser('mallory', 'p1'), { status: 404 });
  });

  it('reads again after project.status, project.updated or project.deleted, so a stopped agent is a 409 at once', async () => {
    const { state, projects } = fakeProjects({});
    const hub = new EventHub(10);
    const targets = new AgentTargets(projects, hub);
    await targets.forUser('alice', 'p1');
    state.row = { ...state.row, status: 'stopped', agent_url: null };
    hub.publish('alice', 'project.status', { projectId: 'p1', status: 'stopped', reason: null });
    await assert.rejects(targets.forUser('alice', 'p1'), { status: 409, code: 'project_not_running' });
    state.row = { ...state.row, status: 'running', agent_url: 'http://127.0.0.1:4200', opencode_password_enc: 'sealed-2' };
    hub.publish('alice', 'project.deleted', { id: 'p1' });
    assert.deepEqual(await targets.forUser('alice', 'p1'), { projectId: 'p1', baseUrl: 'http://127.0.0.1:4200', password: 'pw-of-sealed-2', authorization: basicAuth('pw-of-sealed-2') });
    assert.equal(state.reads, 3);
    // Another project's event leaves this one cached.
    hub.publish('alice', 'project.deleted', { id: 'p2' });
    await targets.forUser('alice', 'p1');
    assert.equal(state.reads, 3);
  });

  it('reads again after the safety TTL even without an event', async () => {
    const { state, projects } = fakeProjects({});
    let now = 1000;
    const targets = new AgentTargets(projects, new EventHub(10), () => now);
    await targets.forUser('alice', 'p1');
    now += 4999;
    await targets.forUser('alice', 'p1');
    assert.equal(state.reads, 1);
    now += 2;
    await targets.forUser('alice', 'p1');
    assert.equal(state.reads, 2);
  });

  it('gives each running project one keep-alive pool, dropped when it stops and replaced when its agent moves', async () => {
    const { state, projects } = fakeProjects({});
    const hub = new EventHub(10);
    const connections = new AgentConnections();
    const targets = new AgentTargets(projects, hub, Date.now, connections);
    const pool = (await targets.forUser('alice', 'p1')).pool!;
    assert.equal((pool as typeof pool & { keepAlive: boolean }).keepAlive, true);
    // A rename (still running) keeps the pool.
    hub.publish('alice', 'project.status', { projectId: 'p1', status: 'running', reason: null });
    assert.equal((await targets.forUser('alice', 'p1')).pool, pool);
    // Moved: the agent answers elsewhere, so a new pool is made.
    state.row = { ...state.row, agent_url: 'http://127.0.0.1:4300' };
    hub.publish('alice', 'project.status', { projectId: 'p1', status: 'running', reason: null });
    const moved = (await targets.forUser('alice', 'p1')).pool!;
    assert.notEqual(moved, pool);
    let destroyed = false;
    const destroy = moved.destroy.bind(moved);
    moved.destroy = () => { destroyed = true; destroy(); };
    hub.publish('alice', 'project.status', { projectId: 'p1', status: 'stopped', reason: null });
    assert.equal(destroyed, true, 'a stopped agent\'s connections are closed');
    connections.close();
  });
});
