import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Operation, Project, SyncStatus } from '../../../backend/contract';
import { INTERRUPTED } from '../../../backend/runtime/reconcile';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { startFakeGithub, type FakeGithub } from '../../fixtures/gitHttp/fakeGithub';
import type { SseFrame } from '../support/sseReader';
import {
  assertNoOrphans, events, kill9, parse, settledOperation, settledProject, spawnApi, stepPoint, until, type ApiProcess, type KillPoint,
} from './support';
import { removeDataDir } from '../../harness/scanRegistry.mjs';
import { SECRET_MARKER } from '../../harness/secretsScan.mjs';

type Action = 'push' | 'pull';
const syncing = (action: Action): KillPoint => ({
  name: `${action}: sync.status syncing`,
  match: (f: SseFrame) => f.event === 'sync.status' && (parse(f).data?.status as SyncStatus | undefined)?.syncing === true,
});
const finishedPoint = (action: Action): KillPoint => ({
  name: `${action}: operation.finished`,
  match: (f: SseFrame) => f.event === 'operation.finished' && (parse(f).data?.operation as Operation | undefined)?.kind === action,
});

const SYNC_POINTS: { action: Action; point: KillPoint | 'accepted' }[] = [
  { action: 'push', point: 'accepted' },
  { action: 'push', point: syncing('push') },
  { action: 'push', point: stepPoint('push', 'push: pushing', /^Pushing main/) },
  { action: 'push', point: finishedPoint('push') },
  { action: 'pull', point: 'accepted' },
  { action: 'pull', point: syncing('pull') },
  { action: 'pull', point: stepPoint('pull', 'pull: pulling', /^Pulling main/) },
  { action: 'pull', point: stepPoint('pull', 'pull: merging', /^(Merging|Rebasing onto) origin\/main/) },
  { action: 'pull', point: finishedPoint('pull') },
];

describe('fault injection: kill -9 of the API during GitHub sync (real API process, real git, loopback GitHub)', function () {
  this.timeout(240_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-faults-sync-'));
  const projectsRoot = path.join(dataDir, 'projects');
  const token = `ghp_${SECRET_MARKER}${crypto.randomBytes(18).toString('hex')}`;
  let fake: FakeGithub;
  let api: ApiProcess;
  let project: Project;
  let ws: string;
  const tried: string[] = [];
  const start = async () => { api = await spawnApi(dataDir, { HANGAR_GIT_CA_FILE: fake.caFile, HANGAR_SYNC_POLL_MS: '0' }); };
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Agent', '-c', 'user.email=agent@hangar.test', ...args], { cwd: ws, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();

  before(async () => {
    fake = await startFakeGithub({ token, hosts: ['127.0.0.1'] });
    fake.createRepo('acme/widgets', { 'README.md': '# widgets\n' });
    await start();
    const put = await api.http.call('PUT', '/api/github/credential', { token, host: `127.0.0.1:${fake.port}` });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    project = (await api.http.post<Project>('/api/projects', { name: 'faulty sync', repository: { url: fake.url('127.0.0.1', 'acme/widgets'), branch: 'main' } })).body;
    const stream = await events(api);
    const op = (await api.http.post<Operation>(`/api/projects/${project.id}/deploy`, { force: false })).body;
    assert.equal((await settledOperation(api.http, project.id, op.id)).state, 'succeeded');
    await stream.waitFor((f) => f.event === 'sync.result' && (parse(f).data?.result as { action?: string })?.action === 'import', 120_000);
    await stream.close();
    ws = path.join(projectsRoot, project.id, 'workspace');
    assert.equal(fs.readFileSync(path.join(ws, 'README.md'), 'utf8'), '# widgets\n');
  });
  after(async () => {
    if (api) await kill9(api.proc);
    for (const s of scanProcesses(projectsRoot)) process.kill(-s.pid, 'SIGKILL');
    await fake?.close();
    removeDataDir(dataDir);
    console.log(`      kill points tried: ${tried.length} (${tried.join(', ')})`);
  });

  async function sync(action: Action): Promise<Operation> {
    const res = await api.http.post<{ operation: Operation }>(`/api/projects/${project.id}/sync/${action}`, {});
    assert.equal(res.status, 202, JSON.stringify(res.body));
    return res.body.operation;
  }

  for (const { action, point } of SYNC_POINTS) {
    const name = point === 'accepted' ? `${action}: right after the 202` : point.name;
    it(`at "${name}": the operation ends with its reason, no lock or process is left, and the same ${action} then succeeds`, async () => {
      const n = tried.length;
      let expectFile: string;
      if (action === 'push') {
        expectFile = `agent-${n}.txt`;
        fs.writeFileSync(path.join(ws, expectFile), `agent work ${n}\n`);
        git('add', '-A');
        git('commit', '-q', '-m', `Agent: work ${n}`);
      } else {
        expectFile = `upstream-${n}.txt`;
        fake.commit('acme/widgets', { [expectFile]: `upstream ${n}\n` }, `Upstream: change ${n}`);
      }
      const stream = await events(api);
      const op = await sync(action);
      if (point !== 'accepted') await stream.waitFor(point.match, 60_000);
      await kill9(api.proc);
      await stream.close();
      tried.push(name);
      await start();
      const after = await settledOperation(api.http, project.id, op.id);
      assert.ok(after.state === 'succeeded' || (after.state === 'failed' && after.error === INTERRUPTED), `op ${after.state}: ${after.error}`);
      const p = await settledProject(api.http, project.id);
      assert.equal(p.status, 'running');
      await assertNoOrphans(dataDir, p);
      assert.ok(!fs.existsSync(path.join(ws, '.git', 'index.lock')), 'no git lock left behind');
      // Recovery without a hand: the same action again succeeds and nothing was lost.
      const again = await settledOperation(api.http, project.id, (await sync(action)).id);
      assert.equal(again.state, 'succeeded', again.error ?? '');
      assert.equal(fake.head('acme/widgets'), action === 'push' ? git('rev-parse', 'HEAD') : fake.head('acme/widgets'));
      assert.ok(fs.existsSync(path.join(ws, expectFile)), `${expectFile} is in the workspace`);
      assert.match(git('log', '--format=%s', '-n', '30'), action === 'push' ? new RegExp(`Agent: work ${n}`) : new RegExp(`Upstream: change ${n}`));
      if (action === 'pull') assert.ok(git('merge-base', '--is-ancestor', fake.head('acme/widgets')!, 'HEAD') === '', 'the upstream commit is in HEAD');
      assert.equal(git('status', '--porcelain'), '', 'a clean workspace');
      await until('no running sync', async () => ((await api.http.get<SyncStatus>(`/api/projects/${project.id}/sync`)).body.syncing ? undefined : true), 30_000);
    });
  }
});
