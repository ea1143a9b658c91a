import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, snapshot, uniqueName, waitFor } from './helpers';

interface ProjectLike { id: string; name: string; tierId: string }
/** What `hangar.internal.projectPanel` returns (test/vscode/hooks/index.ts). */
interface PanelProbe {
  title: string;
  visible: boolean;
  ready: boolean;
  readyCount: number;
  lastState: { kind: string; project?: { id: string; name: string; status: string }; tier?: { id: string } | null; name?: string } | undefined;
}

const probe = (id: string) => async () => vscode.commands.executeCommand<PanelProbe | undefined>('hangar.internal.projectPanel', id);

function panelTabs(title: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.label === title);
}

describe('project details panel', () => {
  let project: ProjectLike;

  before(async () => {
    assert.equal((await snapshot()).connection, 'connected', 'the connection suite must run first');
    const created = await api('POST', '/api/projects', { name: uniqueName('panel') });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    project = created.json as ProjectLike;
    await waitFor(`"${project.name}" in the tree`, snapshot, (s) => s.projectNames.includes(project.name), 5000);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (project) await api('DELETE', `/api/projects/${project.id}`);
  });

  it('opens a panel titled after the project whose webview says ready and gets the project', async () => {
    assert.equal(await vscode.commands.executeCommand('hangar.openProjectDetails', { id: project.id }), true);
    const p = await waitFor('the webview to be ready with the project', probe(project.id),
      (v) => v?.ready === true && v.lastState?.kind === 'project', 15_000);
    assert.equal(p?.title, `Project: ${project.name}`);
    assert.deepEqual(
      [p?.lastState?.project?.id, p?.lastState?.project?.name, p?.lastState?.tier?.id],
      [project.id, project.name, project.tierId]);
    assert.equal(panelTabs(`Project: ${project.name}`).length, 1);
  });

  it('reveals the open panel instead of opening a second one (tree-row argument)', async () => {
    assert.equal(await vscode.commands.executeCommand('hangar.openProjectDetails', { projectId: project.id }), true);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(panelTabs(`Project: ${project.name}`).length, 1);
    assert.equal((await probe(project.id)())?.visible, true);
  });

  it('follows a rename made by another client', async () => {
    const renamed = uniqueName('renamed');
    assert.equal((await api('PATCH', `/api/projects/${project.id}`, { name: renamed })).status, 200);
    const p = await waitFor('the renamed project in the panel', probe(project.id), (v) => v?.lastState?.project?.name === renamed, 5000);
    assert.equal(p?.title, `Project: ${renamed}`);
    project = { ...project, name: renamed };
  });

  it('shows the deleted state when the project is deleted elsewhere', async () => {
    assert.equal((await api('DELETE', `/api/projects/${project.id}`)).status, 204);
    const p = await waitFor('the deleted state', probe(project.id), (v) => v?.lastState?.kind === 'deleted', 5000);
    assert.deepEqual(p?.lastState, { kind: 'deleted', name: project.name });
    assert.equal(p?.title, `Project: ${project.name} (deleted)`);
  });

  it('closes with its tab and forgets the panel', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the panel to be gone', probe(project.id), (v) => v === undefined, 5000);
  });
});

describe('project details panel: timeline (issue #15)', () => {
  let project: ProjectLike;
  interface TimelineProbe { entries: { kind: string; actor: string; outcome: string }[]; hasMore: boolean }
  const timelineOf = (p: PanelProbe | undefined) =>
    (p?.lastState as { timeline?: TimelineProbe } | undefined)?.timeline;

  before(async () => {
    const created = await api('POST', '/api/projects', { name: uniqueName('timeline') });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    project = created.json as ProjectLike;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (project) await api('DELETE', `/api/projects/${project.id}`);
  });

  it('shows the deploy and the stop made through the API, newest first, with actor and outcome', async function () {
    this.timeout(120_000);
    for (const action of ['deploy', 'stop']) {
      const res = await api('POST', `/api/projects/${project.id}/${action}`, action === 'deploy' ? { force: false } : undefined);
      assert.equal(res.status, 202, JSON.stringify(res.json));
      await waitFor(`the ${action} on the timeline`, async () => api('GET', `/api/projects/${project.id}/timeline`),
        (r) => (r.json as { items: { kind: string }[] }).items[0]?.kind === action, 60_000);
    }
    assert.equal(await vscode.commands.executeCommand('hangar.openProjectDetails', { id: project.id }), true);
    const p = await waitFor('the timeline in the panel', probe(project.id),
      (v) => (timelineOf(v)?.entries.length ?? 0) >= 2, 15_000);
    assert.deepEqual(timelineOf(p)?.entries.map((e) => [e.kind, e.actor, e.outcome]),
      [['stop', 'user', 'succeeded'], ['deploy', 'user', 'succeeded']]);
    assert.equal(timelineOf(p)?.hasMore, false);
  });
});
