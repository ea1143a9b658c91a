import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Operation, Project } from '../../../backend/contract';
import { INTERRUPTED } from '../../../backend/runtime/reconcile';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import type { SseFrame } from '../support/sseReader';
import {
  assertNoOrphans, events, kill9, parse, settledOperation, settledProject, spawnApi, stepPoint, until, type ApiProcess, type KillPoint,
} from './support';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

/** Where a force deploy of a running project can be interrupted, in the order they happen. */
const DEPLOY_POINTS: (KillPoint | 'accepted')[] = [
  'accepted',
  { name: 'project.status deploying', match: (f: SseFrame) => f.event === 'project.status' && (parse(f).data as { status?: string } | undefined)?.status === 'deploying' },
  stepPoint('deploy', 'deploy started', /^Force deploying on the local runtime/),
  stepPoint('deploy', 'replacing the running process', /^Force deploy: replacing the running process/),
  stepPoint('deploy', 'old process stopped', /^Stopped opencode/),
  stepPoint('deploy', 'new process spawned', /^Started opencode \(pid/),
  stepPoint('deploy', 'new process listening', /^opencode is listening/),
  stepPoint('deploy', 'health check started', /^Waiting for opencode to answer/),
  stepPoint('deploy', 'healthy', /is healthy$/),
  { name: 'operation.finished', match: (f: SseFrame) => f.event === 'operation.finished' && (parse(f).data?.operation as Operation | undefined)?.kind === 'deploy' },
];

describe('fault injection: kill -9 of the API during a deploy (real API process, real opencode)', function () {
  this.timeout(240_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-faults-deploy-'));
  const projectsRoot = path.join(dataDir, 'projects');
  let api: ApiProcess;
  let project: Project;
  const tried: string[] = [];

  before(async () => {
    api = await spawnApi(dataDir);
    project = (await api.http.post<Project>('/api/projects', { name: 'faulty deploys' })).body;
  });
  after(async () => {
    if (api) await kill9(api.proc);
    for (const s of scanProcesses(projectsRoot)) process.kill(-s.pid, 'SIGKILL');
    removeDataDir(dataDir);
    console.log(`      kill points tried: ${tried.length} (${tried.join(', ')})`);
  });

  /** A running project, as each point needs (a kill may have left it stopped or failed). */
  async function ensureRunning(): Promise<void> {
    const p = (await api.http.get<Project>(`/api/projects/${project.id}`)).body;
    if (p.status === 'running') return;
    const op = (await api.http.post<Operation>(`/api/projects/${project.id}/deploy`, { force: false })).body;
    const done = await settledOperation(api.http, project.id, op.id);
    assert.equal(done.state, 'succeeded', done.error ?? '');
  }

  for (const point of DEPLOY_POINTS) {
    const name = point === 'accepted' ? 'right after the 202' : point.name;
    it(`at "${name}": the operation ends with its reason, the rows match the processes, and a deploy works after`, async () => {
      await ensureRunning();
      const stream = await events(api);
      const op = (await api.http.post<Operation>(`/api/projects/${project.id}/deploy`, { force: true })).body;
      if (point !== 'accepted') await stream.waitFor(point.match, 60_000);
      await kill9(api.proc);
      await stream.close();
      tried.push(name);
      api = await spawnApi(dataDir);
      const after = await settledOperation(api.http, project.id, op.id);
      const p = await settledProject(api.http, project.id);
      assert.ok(after.state === 'succeeded' || (after.state === 'failed' && after.error === INTERRUPTED), `op ${after.state}: ${after.error}`);
      if (p.status !== 'running') assert.ok(p.statusReason, `a ${p.status} project says why`);
      await assertNoOrphans(dataDir, p);
      // Recovery without a hand: the next deploy just works.
      const again = (await api.http.post<Operation>(`/api/projects/${project.id}/deploy`, { force: false })).body;
      assert.equal((await settledOperation(api.http, project.id, again.id)).state, 'succeeded');
      await assertNoOrphans(dataDir, await settledProject(api.http, project.id));
    });
  }

  it('an agent process crash: the project says crashed with the log, no process is left, and start brings it back', async () => {
    await ensureRunning();
    const stream = await events(api);
    const [agent] = scanProcesses(projectsRoot);
    assert.ok(agent, 'a running agent');
    // The agent itself (opencode inside its sandbox) dies, not the sandbox around it.
    const inner = await until('opencode inside the sandbox', () => {
      const kids = fs.readdirSync('/proc').filter((n) => /^[0-9]+$/.test(n)).filter((n) => {
        try {
          const stat = fs.readFileSync(`/proc/${n}/stat`, 'utf8');
          const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          return Number(rest[2]) === agent.pid && fs.readlinkSync(`/proc/${n}/exe`).includes('opencode');
        } catch {
          return false;
        }
      });
      return kids.length ? Number(kids[0]) : undefined;
    });
    process.kill(inner, 'SIGKILL');
    const frame = await stream.waitFor((f) => f.event === 'project.status' && ['crashed', 'exited', 'failed', 'stopped'].includes(String((parse(f).data as { status?: string }).status)), 30_000);
    await stream.close();
    const status = parse(frame).data as { status: string; reason?: string | null };
    assert.equal(status.status, 'crashed');
    assert.match(status.reason ?? '', /^opencode exited with code 137; last log lines:/);
    const p = (await api.http.get<Project>(`/api/projects/${project.id}`)).body;
    assert.equal(p.status, 'crashed');
    await assertNoOrphans(dataDir, p);
    const start = (await api.http.post<Operation>(`/api/projects/${project.id}/start`, {})).body;
    assert.equal((await settledOperation(api.http, project.id, start.id)).state, 'succeeded');
    assert.equal((await settledProject(api.http, project.id)).status, 'running');
  });
});
