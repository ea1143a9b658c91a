import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, snapshot, uniqueName, waitFor } from './helpers';

interface ProjectLike { id: string; name: string; tierId: string }

describe('projects', () => {
  before(async () => {
    assert.equal((await snapshot()).connection, 'connected', 'the connection suite must run first');
  });

  it('shows a project another client created, through the event stream', async () => {
    const name = uniqueName('from-api');
    const created = await api('POST', '/api/projects', { name });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    await waitFor(`"${name}" in the projects tree`, snapshot, (s) => s.projectNames.includes(name), 5000);
  });

  it('creates a project with arguments, skipping the prompts', async () => {
    const s = await snapshot();
    const tierId = s.tierIds[0];
    assert.ok(tierId);
    const name = uniqueName('from-command');
    const project = await vscode.commands.executeCommand<ProjectLike | undefined>('hangar.createProject', { name, tierId });
    assert.ok(project, 'createProject returned nothing: see the Hangar log');
    assert.deepEqual([project.name, project.tierId], [name, tierId]);
    await waitFor(`"${name}" in the tree`, snapshot, (v) => v.projectNames.includes(name), 5000);
    const fetched = await api('GET', `/api/projects/${project.id}`);
    assert.equal(fetched.status, 200);
  });

  it('deletes a project with {id, confirm: true}', async () => {
    const name = uniqueName('to-delete');
    const created = await api('POST', '/api/projects', { name });
    const { id } = created.json as ProjectLike;
    await waitFor(`"${name}" in the tree`, snapshot, (s) => s.projectNames.includes(name), 5000);
    const deleted = await vscode.commands.executeCommand<boolean>('hangar.deleteProject', { id, confirm: true });
    assert.equal(deleted, true);
    await waitFor(`"${name}" gone from the tree`, snapshot, (s) => !s.projectNames.includes(name), 5000);
    assert.equal((await api('GET', `/api/projects/${id}`)).status, 404);
  });

  it('removes a project another client deleted', async () => {
    const name = uniqueName('deleted-elsewhere');
    const { id } = (await api('POST', '/api/projects', { name })).json as ProjectLike;
    await waitFor(`"${name}" in the tree`, snapshot, (s) => s.projectNames.includes(name), 5000);
    assert.equal((await api('DELETE', `/api/projects/${id}`)).status, 204);
    await waitFor(`"${name}" gone`, snapshot, (s) => !s.projectNames.includes(name), 5000);
  });
});
