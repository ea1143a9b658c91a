import assert from 'node:assert/strict';
import type { HangarEvent, Project } from '../../../backend/contract';
import { EventHub } from '../../../backend/events/eventHub';
import { toProject } from '../../../backend/services/projects';
import { ProjectStatusAuthority } from '../../../backend/services/projectStatusAuthority';
import { client, startTestApi, type TestApi } from '../support/apiServer';

/** The status authority over a real project row (SQLite), publishing on its own hub. */
describe('API: one status authority per project', () => {
  let api: TestApi;
  let project: Project;
  let authority: ProjectStatusAuthority;
  let published: { type: string; status?: string }[];

  before(async () => {
    api = await startTestApi({ HANGAR_MODELS_URL: 'off' });
    project = (await client(api.url, api.adminToken).post<Project>('/api/projects', { name: 'status-authority' })).body;
  });
  after(() => api.close());

  beforeEach(() => {
    const hub = new EventHub(100);
    published = [];
    hub.observe((_user, e: HangarEvent) => {
      published.push({ type: e.type, ...(e.type === 'project.status' ? { status: e.data.status } : {}) });
    });
    authority = new ProjectStatusAuthority(api.server.services.db, hub, toProject);
  });

  it('publishes each transition once and in order when reports arrive together', async () => {
    // A deploy's steps and a repeated report of each, all in flight at once.
    await Promise.all(['deploying', 'deploying', 'starting', 'starting', 'running', 'running']
      .map((status) => authority.apply(project.id, { status: status as Project['status'], reason: null })));
    assert.deepEqual(published.filter((e) => e.type === 'project.status').map((e) => e.status),
      ['deploying', 'starting', 'running']);
    const row = await api.server.services.projects.rowById(project.id);
    assert.equal(row?.status, 'running');
  });

  it("drops the monitor's observations while an operation holds the project, and takes them after", async () => {
    authority.hold(project.id);
    await authority.apply(project.id, { status: 'stopping', reason: null });
    await authority.apply(project.id, { status: 'crashed', reason: 'seen by the monitor' }, { observed: true });
    assert.equal((await api.server.services.projects.rowById(project.id))?.status, 'stopping');
    await authority.apply(project.id, { status: 'stopped', reason: null });
    authority.release(project.id);
    await authority.apply(project.id, { status: 'crashed', reason: 'the process exited' }, { observed: true });
    assert.deepEqual(published.filter((e) => e.type === 'project.status').map((e) => e.status),
      ['stopping', 'stopped', 'crashed']);
  });
});
