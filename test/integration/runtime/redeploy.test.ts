// Change Tier… and Move to Runtime… (POST /api/projects/:id/redeploy) on a real dockerd with the test image
// and the real opencode: the agent's sessions and the workspace survive a tier change (a new container) and a
// move from the local runtime to docker and from docker back to local.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import type { ErrorBody, Operation, Project } from '../../../backend/contract';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { ensureTestImage } from '../../fixtures/images/testImage.mjs';
import { requireDockerd, type Dockerd } from '../../harness/dockerd.mjs';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { projectContainers, removeEverything, settledOperation } from '../support/mixedRuntimeApi';

describe('redeploy: tier change and move to another runtime keep the workspace and the sessions (real dockerd, real opencode)', function () {
  this.timeout(240_000);
  let dockerd: Dockerd | null = null;
  let docker: Docker;
  let api: TestApi;
  let admin: ReturnType<typeof client>;
  const made: Project[] = [];

  const finished = (p: Project, op: Operation) => settledOperation(admin, p, op);
  const succeed = async (p: Project, res: { status: number; body: unknown }) => {
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const done = await finished(p, res.body as Operation);
    assert.equal(done.state, 'succeeded', `${done.error ?? ''}\n${done.steps.map((s) => s.message).join('\n')}`);
    return done;
  };
  const create = async (name: string, runtime: 'local' | 'docker') => {
    const p = (await admin.post<Project>('/api/projects', { name, runtime, tierId: 'lite' })).body;
    made.push(p);
    await succeed(p, await admin.post(`/api/projects/${p.id}/deploy`, { force: false }));
    return p;
  };
  const sessionTitles = async (p: Project) => {
    const res = await admin.get<{ title: string }[]>(`/api/projects/${p.id}/opencode/session`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.map((s) => s.title).sort();
  };
  const containers = (p: Project) => projectContainers(docker, p);

  before(async function () {
    this.timeout(300_000);
    dockerd = await requireDockerd();
    if (!dockerd) this.skip(); // only outside CI: under CI=true requireDockerd throws
    const { tag } = await ensureTestImage(dockerd.dockerHost);
    docker = new Docker({ socketPath: dockerd.dockerHost.replace(/^unix:\/\//, '') });
    api = await startTestApi({ DOCKER_HOST: dockerd.dockerHost, HANGAR_DOCKER_IMAGE: tag, HANGAR_DOCKER_STOP_TIMEOUT: '2', HANGAR_RUNTIME: 'docker', HANGAR_MODELS_URL: 'off' });
    admin = client(api.url, api.adminToken);
  });

  after(async function () {
    this.timeout(60_000);
    if (!dockerd) return;
    try {
      await removeEverything(api, admin, docker, made);
    } finally {
      await dockerd.stop();
    }
  });

  it('a tier change on docker recreates the container with the new limits, and the session made before is still listed', async () => {
    const p = await create('tier-change', 'docker');
    const [before] = await containers(p);
    const made = await admin.post<{ id: string }>(`/api/projects/${p.id}/opencode/session`, { title: 'before the tier change' });
    assert.equal(made.status, 200, JSON.stringify(made.body));

    const op = await succeed(p, await admin.post(`/api/projects/${p.id}/redeploy`, { tierId: 'standard' }));
    assert.ok(op.steps.some((s) => /Changing the tier from lite to standard/.test(s.message)), op.steps.map((s) => s.message).join('\n'));
    const [after] = await containers(p);
    assert.notEqual(after?.Id, before?.Id, 'a new container');
    const info = await docker.getContainer(after!.Id).inspect();
    assert.equal(info.HostConfig.NanoCpus, 2e9);
    assert.equal((await admin.get<Project>(`/api/projects/${p.id}`)).body.tierId, 'standard');
    assert.deepEqual(await sessionTitles(p), ['before the tier change']);
  });

  it('refuses what cannot be done: the same tier and runtime (400), an unknown tier, a second redeploy while one runs (409)', async () => {
    const p = made[0]!;
    const same = await admin.post<ErrorBody>(`/api/projects/${p.id}/redeploy`, { tierId: 'standard' });
    assert.equal(same.status, 400);
    assert.equal(same.body.error.code, 'nothing_to_change');
    const empty = await admin.post<ErrorBody>(`/api/projects/${p.id}/redeploy`, {});
    assert.equal(empty.status, 400);
    const bad = await admin.post<ErrorBody>(`/api/projects/${p.id}/redeploy`, { tierId: 'no-such-tier' });
    assert.ok([400, 404, 409].includes(bad.status) && bad.status !== 500, JSON.stringify(bad.body));
    const first = await admin.post<Operation>(`/api/projects/${p.id}/redeploy`, { tierId: 'lite' });
    assert.equal(first.status, 202);
    const second = await admin.post<ErrorBody>(`/api/projects/${p.id}/redeploy`, { tierId: 'pro' });
    assert.equal(second.status, 409);
    assert.equal(second.body.error.code, 'operation_in_progress');
    await finished(p, first.body);
  });

  it('moves a local project to docker with its workspace file and its session, leaving no local process', async () => {
    const p = await create('move-me', 'local');
    const file = path.join(api.dataDir, 'projects', p.id, 'workspace', 'notes.txt');
    fs.writeFileSync(file, 'kept across the move\n');
    await admin.post(`/api/projects/${p.id}/opencode/session`, { title: 'before the move' });

    await succeed(p, await admin.post(`/api/projects/${p.id}/redeploy`, { runtime: 'docker' }));
    const moved = (await admin.get<Project>(`/api/projects/${p.id}`)).body;
    assert.equal(moved.runtime, 'docker');
    assert.equal(moved.status, 'running');
    assert.equal(scanProcesses(path.join(api.dataDir, 'projects')).filter((s) => s.projectId === p.id).length, 0);
    assert.equal(fs.existsSync(file), false, 'the local copy is gone once docker runs it');
    const [c] = await containers(p);
    const exec = await docker.getContainer(c!.Id).exec({ Cmd: ['cat', '/workspace/notes.txt'], AttachStdout: true, AttachStderr: true });
    const out = await new Promise<string>((resolve, reject) => {
      void exec.start({}).then((stream) => {
        let text = '';
        stream.on('data', (d: Buffer) => { text += d.toString(); });
        stream.on('end', () => resolve(text));
        stream.on('error', reject);
      }, reject);
    });
    assert.match(out, /kept across the move/);
    assert.deepEqual(await sessionTitles(p), ['before the move']);
  });

  it('moves a docker project to local with its workspace file and its session; its container and volumes are removed', async () => {
    const p = await create('move-home', 'docker');
    const [c] = await containers(p);
    assert.equal(await execIn(c!.Id, ['sh', '-c', 'echo "made in the container" > /workspace/notes.txt && echo ok']), 'ok\n');
    const session = await admin.post<{ id: string }>(`/api/projects/${p.id}/opencode/session`, { title: 'before the move home' });
    assert.equal(session.status, 200, JSON.stringify(session.body));
    const volumes = async () => (await docker.listVolumes({ filters: { label: [`dev.hangar.project=${p.id}`] } })).Volumes ?? [];
    assert.equal((await volumes()).length, 2, 'the workspace and agent-data volumes before the move');

    await succeed(p, await admin.post(`/api/projects/${p.id}/redeploy`, { runtime: 'local' }));
    const moved = (await admin.get<Project>(`/api/projects/${p.id}`)).body;
    assert.equal(moved.runtime, 'local');
    assert.equal(moved.status, 'running');
    const file = path.join(api.dataDir, 'projects', p.id, 'workspace', 'notes.txt');
    assert.equal(fs.readFileSync(file, 'utf8'), 'made in the container\n');
    assert.deepEqual(await containers(p), [], 'no container of the project left on docker');
    assert.deepEqual((await volumes()).map((v) => v.Name), [], 'no volume of the project left on docker');
    const running = scanProcesses(path.join(api.dataDir, 'projects')).filter((s) => s.projectId === p.id);
    assert.equal(running.length, 1, 'one local agent runs it');
    // The agent that answers is the local one: it reads the moved file and has the session made on docker.
    const read = await admin.get<{ content?: string }>(`/api/projects/${p.id}/opencode/file/content?path=notes.txt`);
    assert.equal(read.body.content?.trimEnd(), 'made in the container', JSON.stringify(read.body));
    const sessions = await admin.get<{ id: string; title: string }[]>(`/api/projects/${p.id}/opencode/session`);
    assert.deepEqual(sessions.body.map((s) => [s.id, s.title]), [[session.body.id, 'before the move home']]);
  });

  /** Runs a command in a container; resolves with its stdout. */
  async function execIn(id: string, cmd: string[]): Promise<string> {
    const exec = await docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    const out = new PassThrough();
    docker.modem.demuxStream(stream, out, process.stderr);
    let text = '';
    out.on('data', (d: Buffer) => { text += d.toString(); });
    await new Promise((resolve, reject) => { stream.on('end', resolve); stream.on('error', reject); });
    return text;
  }
});
