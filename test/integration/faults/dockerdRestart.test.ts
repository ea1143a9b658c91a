// Fault injection: the Docker engine restarts (as a service manager or an upgrade does) under
// running docker-runtime projects. A private dockerd of this test's own is stopped with SIGTERM,
// which stops its containers, and started again. What a user must see: while the engine is gone the
// rows say so (not a stale "running"), and once it is back every project is running again with its
// workspace and chat sessions, one container each, and no click from anyone.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import type { Operation, Project, WorkspaceFileContent } from '../../../backend/contract';
import { ensureTestImage } from '../../fixtures/images/testImage.mjs';
import { startPrivateDockerd, type PrivateDockerd } from './privateDockerd';
import { events, kill9, parse, settledOperation, spawnApi, until, type ApiProcess } from './support';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('fault injection: the Docker engine restarts under running projects (private dockerd, real opencode)', function () {
  this.timeout(300_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-faults-dockerd-'));
  let dockerd: PrivateDockerd | undefined;
  let docker: Docker;
  let api: ApiProcess | undefined;
  const projects: Project[] = [];

  before(async function () {
    this.timeout(180_000);
    try {
      dockerd = await startPrivateDockerd(String(process.pid % 100000), 1 + (process.pid % 250));
    } catch (err) {
      if (process.env.CI === 'true') throw err;
      console.log(`      skipped: no private dockerd here (${(err as Error).message.split('\n')[0]})`);
      this.skip();
    }
    const { tag } = await ensureTestImage(dockerd!.dockerHost, { log: () => undefined });
    docker = new Docker({ socketPath: dockerd!.dockerHost.replace(/^unix:\/\//, '') });
    api = await spawnApi(dataDir, {
      HANGAR_RUNTIME: 'docker', DOCKER_HOST: dockerd!.dockerHost, HANGAR_DOCKER_IMAGE: tag, HANGAR_DOCKER_STOP_TIMEOUT: '2', HANGAR_MODELS_URL: 'off',
    });
  });

  after(async function () {
    this.timeout(120_000);
    if (api) await kill9(api.proc);
    await dockerd?.destroy();
    removeDataDir(dataDir);
  });

  const get = async (p: Project) => (await api!.http.get<Project>(`/api/projects/${p.id}`)).body;
  const containersOf = (p: Project) => docker.listContainers({ all: true, filters: { label: [`dev.hangar.project=${p.id}`] } });

  it('deploys two projects, each with a workspace file and a chat session', async () => {
    for (const name of ['engine restart one', 'engine restart two']) {
      const p = (await api!.http.post<Project>('/api/projects', { name })).body;
      const op = (await api!.http.post<Operation>(`/api/projects/${p.id}/deploy`, { force: false })).body;
      const done = await settledOperation(api!.http, p.id, op.id);
      assert.equal(done.state, 'succeeded', done.error ?? '');
      const put = await api!.http.call('PUT', `/api/projects/${p.id}/files/content`, { path: 'keep.md', content: b64(`kept by ${name}\n`) });
      assert.equal(put.status, 204, JSON.stringify(put.body));
      const session = await api!.http.post<{ id: string }>(`/api/projects/${p.id}/opencode/session`, { title: `kept session of ${name}` });
      assert.equal(session.status, 200, JSON.stringify(session.body));
      projects.push(p);
    }
  });

  it('while the engine is down the rows say why; once it is back every project runs again, nothing lost, no hand', async () => {
    assert.equal(projects.length, 2, 'the deploy step ran');
    for (const p of projects) assert.equal((await get(p)).status, 'running');
    const before = new Map<string, string>();
    for (const p of projects) before.set(p.id, (await containersOf(p))[0]!.Id);

    const stream = await events(api!);
    const stoppedAt = Date.now();
    await dockerd!.stop();
    // Down: each row leaves "running" and says what happened (not a stale green row).
    const down = await until('both rows to leave running and say why while the engine is down', async () => {
      const rows = await Promise.all(projects.map(get));
      return rows.every((r) => r.status !== 'running' && r.statusReason) ? rows : undefined;
    }, 60_000);
    for (const r of down) assert.match(r.statusReason!, /Docker is not reachable at unix:\/\/\/tmp\/hgf-/);
    console.log(`      engine down after ${Date.now() - stoppedAt} ms: ${down.map((r) => `${r.status} (${r.statusReason})`).join('; ')}`);

    const restartedAt = Date.now();
    await dockerd!.start();
    const back = await until('both projects running again after the engine restart', async () => {
      const rows = await Promise.all(projects.map(get));
      return rows.every((r) => r.status === 'running') ? rows : undefined;
    }, 120_000);
    console.log(`      running again ${Date.now() - restartedAt} ms after the engine was started`);
    await stream.close();
    for (const p of projects) {
      const seen = stream.frames.filter((f) => f.event === 'project.status').map((f) => parse(f).data as { projectId: string; status: string })
        .filter((d) => d.projectId === p.id).map((d) => d.status);
      console.log(`      ${p.name}: ${seen.join(' → ')}`);
      assert.equal(seen.at(-1), 'running', `the user saw ${p.name} come back`);
      // An engine restart is not the agent's fault: never shown as crashed or failed on the way.
      assert.deepEqual(seen.filter((st) => st === 'crashed' || st === 'failed'), [], `${p.name}: ${seen.join(' → ')}`);
    }

    for (const [i, p] of projects.entries()) {
      // One container each, the same one (the engine's restart policy brought it back), no stray.
      const cs = await containersOf(p);
      assert.deepEqual(cs.map((c) => c.Id), [before.get(p.id)], `one container for ${p.name}`);
      assert.equal(cs[0]!.State, 'running');
      // The agent answers through the API (the row's URL follows a new published port), with its data.
      assert.ok(back[i]!.urls.agent, `an agent URL for ${p.name}`);
      const file = await api!.http.get<WorkspaceFileContent>(`/api/projects/${p.id}/files/content?path=keep.md`);
      assert.equal(file.status, 200, JSON.stringify(file.body));
      assert.equal(Buffer.from(file.body.content, 'base64').toString('utf8'), `kept by ${p.name}\n`);
      const sessions = await until(`the agent of ${p.name} to answer`, async () => {
        const r = await api!.http.get<{ title: string }[]>(`/api/projects/${p.id}/opencode/session`);
        return r.status === 200 ? r.body : undefined;
      }, 30_000);
      assert.ok(sessions.some((s) => s.title === `kept session of ${p.name}`), `sessions of ${p.name}: ${JSON.stringify(sessions)}`);
    }
    // Every container on the engine belongs to one of the two projects.
    const all = await docker.listContainers({ all: true });
    assert.deepEqual(all.map((c) => c.Labels['dev.hangar.project']).sort(), projects.map((p) => p.id).sort());
    // And a user action works as before.
    const stop = (await api!.http.post<Operation>(`/api/projects/${projects[0]!.id}/stop`, {})).body;
    assert.equal((await settledOperation(api!.http, projects[0]!.id, stop.id)).state, 'succeeded');
  });
});
