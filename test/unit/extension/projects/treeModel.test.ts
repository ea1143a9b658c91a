import assert from 'node:assert/strict';
import { projectRow, tierPicks, tierRow, viewRows } from '../../../../extension/projects/treeModel';
import { aProject, aTier } from '../builders';

const connected = { kind: 'connected', url: 'http://h', user: { id: 'u', username: 'u', role: 'user', tokenName: 't' }, version: undefined } as const;

describe('tree row models', () => {
  it('builds a project row with a stable id and a state-bearing contextValue', () => {
    const row = projectRow(aProject({ id: 'p9', name: 'web_app', status: 'not_deployed' }));
    assert.deepEqual([row.id, row.label, row.description, row.contextValue], ['project:p9', 'web_app', 'standard · not deployed', 'project.not_deployed']);
    assert.match(row.tooltip ?? '', /\*\*web\\_app\*\*/);
  });

  it('describes tiers by their resources and marks the default', () => {
    const row = tierRow(aTier({ id: 'desktop', name: 'Desktop', isDefault: true, hasDesktopAccess: true }));
    assert.equal(row.description, '2 CPU · 4 GB RAM · 30 GB disk · default');
    assert.equal(row.contextValue, 'tier.default');
  });

  it('lists tiers for the picker with the default first and retired ones hidden', () => {
    const picks = tierPicks([
      aTier({ id: 'pro', cpus: 4 }), aTier({ id: 'old', retired: true }), aTier({ id: 'standard', isDefault: true }),
      aTier({ id: 'desktop', cpus: 4, hasDesktopAccess: true }),
    ]);
    assert.deepEqual(picks.map((p) => p.label), ['standard', 'desktop', 'pro']);
    assert.equal(picks[0]?.description, '2 CPU · 4 GB RAM · 30 GB disk');
    assert.match(picks[0]?.detail ?? '', /^Default tier · No desktop access/);
    assert.match(picks[1]?.detail ?? '', /desktop access \(VNC\)/);
  });

  it('shows nothing while disconnected, an error row with Retry, or an empty row', () => {
    assert.deepEqual(viewRows('projects', { kind: 'disconnected' }, { kind: 'idle' }, [], projectRow), []);
    const error = viewRows('projects', connected, { kind: 'error', message: 'ECONNREFUSED' }, [], projectRow);
    assert.deepEqual(error.map((r) => r.label), ['Could not load projects: ECONNREFUSED', 'Retry']);
    assert.equal(error[1]?.command?.command, 'hangar.refresh');
    assert.equal(viewRows('projects', connected, { kind: 'loaded', at: 1 }, [], projectRow)[0]?.command?.command, 'hangar.createProject');
  });

  it('puts a crashed project\'s reason first in the tooltip and, short, in the description', () => {
    const row = projectRow(aProject({ status: 'crashed', statusReason: 'opencode exited with code 137 (killed)\nlast lines: …' }));
    assert.equal(row.description, 'standard · crashed: opencode exited with code 137 (killed)');
    assert.match(row.tooltip ?? '', /^\*\*alpha\*\*\n\n\$\(error\) \*\*Crashed:\*\* opencode exited with code 137 \\\(killed\\\)/);
    assert.match(row.tooltip ?? '', /Show Container Logs or Retry/);
    assert.deepEqual([row.icon.id, row.contextValue], ['error', 'project.crashed']);
  });

  it('shows the transitional states with a spinning icon and unenforced limits in the tooltip', () => {
    for (const status of ['deploying', 'starting', 'stopping'] as const) assert.equal(projectRow(aProject({ status })).icon.id, 'loading~spin');
    const row = projectRow(aProject({ status: 'running', runtimeNotes: ['memory limit not enforced (cgroup v1 not writable)'], urls: { agent: 'http://127.0.0.1:4100', vnc: null } }));
    assert.match(row.tooltip ?? '', /Not enforced: memory limit not enforced \\\(cgroup v1 not writable\\\)/);
    assert.equal(row.contextValue, 'project.running.agentUrl');
  });

  it('says on the row when a provider change needs a redeploy, not as an unenforced limit', () => {
    const note = 'Provider change needs a redeploy: the agent still runs with the provider it was deployed with, not fakellm.';
    const row = projectRow(aProject({ status: 'running', runtimeNotes: [note], urls: { agent: 'http://127.0.0.1:4100', vnc: null } }));
    assert.match(row.description ?? '', / · redeploy needed$/);
    assert.match(row.tooltip ?? '', /Provider change needs a redeploy: .* Right-click → Deploy Container\./);
    assert.doesNotMatch(row.tooltip ?? '', /Not enforced/);
  });
});
