import assert from 'node:assert/strict';
import type { Tier } from '../../../backend/contract';
import type { DeploySpec, RuntimeDriver, RuntimeStatus } from '../../../backend/runtime/driver';
import { probeHealth, waitForHealthy } from '../../../backend/runtime/health';

export interface DriverContractOptions {
  /** Kills the project's process/container behind the driver's back. */
  crash(projectId: string): Promise<void>;
  /** false when the runtime has no real opencode behind agentUrl (the Coolify fake). */
  reachable?: boolean;
  /** true when restart keeps the same instance (docker: same container id). */
  sameInstanceOnRestart?: boolean;
  /** false when the runtime serves no logs for a stopped app (Coolify answers 400 "not running"). */
  logsAfterCrash?: boolean;
  /** false when the runtime's identity survives a force deploy (Coolify: the application uuid). */
  newInstanceOnForceDeploy?: boolean;
  /** The project id to use; defaults to a fresh UUID. */
  projectId?: string;
  tier?: Tier;
  /** Per-step budget. */
  timeoutMs?: number;
}

export const contractTier: Tier = {
  id: 'lite', name: 'Lite', description: '', cpus: 1, memory: '2g', memoryReservation: '1g', storageGb: 20,
  hasDesktopAccess: false, imageType: 'cli', exposedPorts: '4096', isDefault: false, retired: false, projectCount: 0,
  createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z',
};

const PASSWORD = 'contract-password-' + Math.random().toString(36).slice(2);
const never = new AbortController().signal;

/**
 * The behaviour every RuntimeDriver promises, as one ordered suite: deploy → reachable →
 * stop → start → restart → force deploy → crash → remove. Call it from a driver's own test file.
 */
export function describeDriverContract(name: string, makeDriver: () => Promise<RuntimeDriver>, opts: DriverContractOptions): void {
  const reachable = opts.reachable ?? true;
  describe(`RuntimeDriver contract: ${name}`, function () {
    this.timeout(opts.timeoutMs ?? 60_000);
    const projectId = opts.projectId ?? crypto.randomUUID();
    let driver: RuntimeDriver;
    const pushed: RuntimeStatus[] = [];
    let unwatch = () => {};
    const spec = (force: boolean): DeploySpec => ({
      projectId, slug: 'contract', tier: opts.tier ?? contractTier, force,
      env: { OPENCODE_SERVER_PASSWORD: PASSWORD, HANGAR_PROJECT_ID: projectId },
    });
    const ready = async (rs: RuntimeStatus) => {
      assert.equal(rs.state, 'running', `running, got ${rs.state}: ${rs.reason ?? ''}`);
      assert.ok(rs.agentUrl, 'an agent URL');
      if (!reachable) return;
      await waitForHealthy(rs.agentUrl, PASSWORD, { signal: never, timeoutMs: 30_000 });
    };
    let first: RuntimeStatus;

    before(async () => {
      driver = await makeDriver();
      unwatch = driver.watch((id, st) => { if (id === projectId) pushed.push(st); });
    });
    after(async () => {
      unwatch();
      // Whatever happened above, nothing of this suite stays behind.
      await driver?.remove(projectId, { volumes: true }, () => {}).catch(() => {});
      await driver?.close();
    });

    it('deploys a project and reports it running with an agent URL', async () => {
      const steps: string[] = [];
      first = await driver.deploy(spec(false), (m) => steps.push(m), never);
      await ready(first);
      assert.ok(first.instanceId, 'an instance id');
      assert.ok(steps.length > 0, 'progress steps');
      assert.ok((await driver.list()).some((e) => e.projectId === projectId), 'list() has it');
    });

    if (reachable) {
      it('serves opencode only with the password', async () => {
        const st = await driver.status(projectId);
        const ok = await probeHealth(st.agentUrl!, PASSWORD, 2000);
        assert.ok(ok.ok, JSON.stringify(ok));
        const res = await fetch(st.agentUrl! + '/global/health', { signal: AbortSignal.timeout(2000) });
        assert.equal(res.status, 401);
      });
    }

    it('stops, and starts again', async () => {
      const stopped = await driver.stop(projectId, () => {});
      assert.equal(stopped.state, 'stopped');
      assert.equal((await driver.status(projectId)).state, 'stopped');
      await ready(await driver.start(projectId, () => {}, never));
    });

    it(`restarts ${opts.sameInstanceOnRestart ? 'the same instance' : '(the instance may change)'}`, async () => {
      const before = await driver.status(projectId);
      const after = await driver.restart(projectId, () => {}, never);
      await ready(after);
      if (opts.sameInstanceOnRestart) assert.equal(after.instanceId, before.instanceId);
    });

    it('force deploy makes a new instance', async () => {
      const before = await driver.status(projectId);
      const after = await driver.deploy(spec(true), () => {}, never);
      await ready(after);
      if (opts.newInstanceOnForceDeploy ?? true) assert.notEqual(after.instanceId, before.instanceId);
      else assert.equal(after.instanceId, before.instanceId);
    });

    it('reports a crash as exited with the last log lines, pushed through watch()', async () => {
      pushed.length = 0;
      await opts.crash(projectId);
      const deadline = Date.now() + 15_000;
      while (!pushed.some((s) => s.state === 'exited') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const st = await driver.status(projectId);
      assert.equal(st.state, 'exited', `exited, got ${st.state}`);
      assert.ok(pushed.some((s) => s.state === 'exited'), 'watch() pushed the exit');
      assert.ok((st.reason ?? '').length > 0, 'a reason');
      if (opts.logsAfterCrash ?? true) assert.ok((await driver.logs(projectId, 50)).length > 0, 'logs survive the crash');
    });

    it('removes it: list() no longer has it', async () => {
      await driver.remove(projectId, { volumes: true }, () => {});
      assert.ok(!(await driver.list()).some((e) => e.projectId === projectId));
      assert.equal((await driver.status(projectId)).state, 'absent');
    });
  });
}
