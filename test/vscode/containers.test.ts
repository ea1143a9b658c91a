import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { api, snapshot, uniqueName, waitFor, type ProjectRow } from './helpers';

interface ProjectLike { id: string; name: string; status: string; urls: { agent: string | null } }
interface LogProbe { open: boolean; state: string; lines: string[]; notices: string[] }

const row = async (id: string): Promise<ProjectRow | undefined> => (await snapshot()).projectRows.find((r) => r.id === id);
const statusOf = (r: ProjectRow | undefined) => r?.contextValue.split('.')[1];

/** Pids of processes whose command line mentions `needle` (the local runtime's opencode, by its port). */
function pidsWith(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes('opencode') && cmd.includes(needle)) pids.push(Number(entry));
    } catch { /* gone */ }
  }
  return pids;
}

describe('containers', () => {
  before(async () => {
    assert.equal((await snapshot()).connection, 'connected', 'the connection suite must run first');
  });

  it('registers the container commands and polls only while the Projects view is visible', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of ['hangar.deployContainer', 'hangar.forceDeployContainer', 'hangar.startContainer', 'hangar.stopContainer',
      'hangar.restartContainer', 'hangar.showContainerLogs']) assert.ok(registered.has(id), id);
    await vscode.commands.executeCommand('workbench.view.extension.hangar');
    await waitFor('the backstop poll to be scheduled', snapshot, (s) => s.autoRefreshScheduled, 5000);
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor('the backstop poll to stop', snapshot, (s) => !s.autoRefreshScheduled, 5000);
    await vscode.commands.executeCommand('workbench.view.extension.hangar');
  });

  it('shows a not-deployed project with only Deploy and Delete', async () => {
    const name = uniqueName('fresh');
    const { id } = (await api('POST', '/api/projects', { name })).json as ProjectLike;
    const r = await waitFor(`"${name}" in the tree`, () => row(id), (v) => v !== undefined, 5000);
    assert.equal(r?.contextValue, 'project.not_deployed');
    assert.equal(r?.icon, 'circle-outline');
    await api('DELETE', `/api/projects/${id}`);
  });

  it('Change Tier… shows the impact before it is applied, and applies it only when confirmed', async () => {
    const name = uniqueName('tier');
    const { id } = (await api('POST', '/api/projects', { name, tierId: 'standard' })).json as ProjectLike;
    await waitFor(`"${name}" in the tree`, () => row(id), (v) => v !== undefined, 5000);
    const modals = (answers: (string | null)[] = []) =>
      vscode.commands.executeCommand<{ message: string; detail: string; buttons: string[] }[]>('hangar.internal.modals', { answers });
    const seen = (await modals([null])).length;
    assert.equal(await vscode.commands.executeCommand('hangar.changeTier', { id, tierId: 'lite' }), undefined, 'cancelled');
    const cancelled = (await modals()).at(-1);
    assert.equal((await modals()).length, seen + 1);
    assert.equal(cancelled?.message, `Change the tier of "${name}" from Standard to Lite?`);
    assert.deepEqual(cancelled?.detail.split('\n').slice(0, 4), ['CPU: 2 → 1', 'RAM: 4 GB → 2 GB', 'Storage: 30 GB → 20 GB', 'Desktop: off (unchanged)']);
    assert.deepEqual(cancelled?.buttons, ['Change Tier']);
    assert.equal(((await api('GET', `/api/projects/${id}`)).json as { tierId: string }).tierId, 'standard', 'nothing applied on Cancel');

    await modals(['Change Tier']);
    const result = await vscode.commands.executeCommand<{ operation: { kind: string } } | undefined>('hangar.changeTier', { id, tierId: 'lite' });
    assert.equal(result?.operation.kind, 'deploy');
    await waitFor('the new tier on the server', async () => ((await api('GET', `/api/projects/${id}`)).json as { tierId: string }).tierId, (t) => t === 'lite', 10_000);
    await api('DELETE', `/api/projects/${id}`);
  });

  describe('with the local runtime', function () {
    this.timeout(120_000);
    let project: ProjectLike;

    before(async function () {
      const name = uniqueName('lifecycle');
      project = (await api('POST', '/api/projects', { name })).json as ProjectLike;
      await waitFor('the project in the tree', () => row(project.id), (v) => v !== undefined, 5000);
    });

    after(async () => {
      if (project) await api('DELETE', `/api/projects/${project.id}`);
    });

    it('deploys from the command: deploying at once, then running', async () => {
      const result = await vscode.commands.executeCommand<{ operation: { id: string; kind: string } } | undefined>(
        'hangar.deployContainer', { id: project.id, confirm: true });
      assert.ok(result, 'deploy returned nothing: see the Hangar log');
      assert.equal(result.operation.kind, 'deploy');
      const first = await row(project.id);
      assert.ok(['deploying', 'starting', 'running'].includes(statusOf(first) ?? ''), `right after the 202: ${first?.contextValue}`);
      if (statusOf(first) !== 'running') assert.equal(first?.icon, 'loading~spin');
      const running = await waitFor('running', () => row(project.id), (r) => statusOf(r) === 'running' || statusOf(r) === 'failed', 60_000);
      assert.equal(statusOf(running), 'running', running?.tooltip);
      assert.equal(running?.icon, 'vm-running');
    });

    it('follows the logs in a terminal', async () => {
      assert.equal(await vscode.commands.executeCommand('hangar.showContainerLogs', { id: project.id }), true);
      const probe = await waitFor('the log terminal to follow', async () => vscode.commands.executeCommand<LogProbe | undefined>('hangar.internal.containerLogs', project.id),
        (p) => p?.state === 'following', 10_000);
      console.log(`log terminal: ${probe?.lines.length} lines, notices ${JSON.stringify(probe?.notices)}`);
    });

    it('stops, with stopping or stopped shown at once', async () => {
      const result = await vscode.commands.executeCommand<{ operation: { kind: string } } | undefined>('hangar.stopContainer', { id: project.id });
      assert.equal(result?.operation.kind, 'stop');
      assert.ok(['stopping', 'stopped'].includes(statusOf(await row(project.id)) ?? ''));
      const stopped = await waitFor('stopped', () => row(project.id), (r) => statusOf(r) === 'stopped', 30_000);
      assert.equal(stopped?.icon, 'vm-outline');
    });

    it('starts again and shows a crashed project with its reason', async () => {
      await vscode.commands.executeCommand('hangar.startContainer', { id: project.id });
      await waitFor('running again', () => row(project.id), (r) => statusOf(r) === 'running', 60_000);
      const fresh = (await api('GET', `/api/projects/${project.id}`)).json as ProjectLike;
      const port = fresh.urls.agent ? new URL(fresh.urls.agent).port : '';
      assert.ok(port, `no agent URL: ${JSON.stringify(fresh.urls)}`);
      const pids = pidsWith(port);
      assert.ok(pids.length > 0, `no opencode process with ${port} in its command line`);
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      const crashed = await waitFor('crashed', () => row(project.id), (r) => statusOf(r) === 'crashed', 30_000);
      assert.match(crashed?.tooltip ?? '', /\*\*Crashed:\*\* \S/);
      assert.equal(crashed?.icon, 'error');
      console.log(`crashed row: ${crashed?.description}`);
      const logs = await vscode.commands.executeCommand<LogProbe | undefined>('hangar.internal.containerLogs', project.id);
      assert.notEqual(logs?.state, 'stopped', 'the log terminal stopped following at the crash');
    });
  });
});
