import assert from 'node:assert/strict';
import { redeployPreview } from '../../../../extension/projects/redeployPreview';
import { aProject, aTier } from '../builders';

const lite = aTier({ id: 'lite', name: 'Lite', cpus: 1, memory: '2g', storageGb: 20 });
const standard = aTier({ id: 'standard', name: 'Standard', cpus: 2, memory: '4g', storageGb: 30 });
const desktop = aTier({ id: 'desktop', name: 'Desktop', cpus: 8, memory: '16g', storageGb: 75, hasDesktopAccess: true, imageType: 'desktop' });

describe('redeploy preview (Change Tier…, Move to Runtime…)', () => {
  it('shows a running project\'s resources before → after, the restart and what is kept', () => {
    const project = aProject({ name: 'web', tierId: 'lite', status: 'running' });
    assert.deepEqual(redeployPreview({ project, from: lite, to: standard }), {
      message: 'Change the tier of "web" from Lite to Standard?',
      lines: [
        'CPU: 1 → 2',
        'RAM: 2 GB → 4 GB',
        'Storage: 20 GB → 30 GB',
        'Desktop: off (unchanged)',
        'A restart is needed: the agent is redeployed and stops answering until it is back (a reply being written is cut off).',
        'Kept: the workspace and the agent\'s sessions.',
      ],
      button: 'Change Tier',
    });
  });

  it('says the desktop turns on, and that unpushed work is checked first when the project syncs with GitHub', () => {
    const project = aProject({
      tierId: 'standard', status: 'stopped',
      repository: { url: 'https://github.com/o/r', branch: 'main', sync: { enabled: true, direction: 'both' } },
    });
    const { lines } = redeployPreview({ project, from: standard, to: desktop });
    assert.ok(lines.includes('Desktop: off → on'), lines.join('\n'));
    assert.ok(lines.includes('The project is redeployed and started on the new settings.'));
    assert.ok(lines.includes('Work not pushed to GitHub is checked first, as for Stop.'));
  });

  it('previews a move to another runtime with the tier unchanged', () => {
    const project = aProject({ name: 'api', tierId: 'standard', status: 'running', runtime: 'local' });
    const p = redeployPreview({ project, from: standard, runtime: 'docker' });
    assert.equal(p.message, 'Move "api" from the local runtime to docker?');
    assert.equal(p.button, 'Move');
    assert.ok(p.lines.includes('CPU: 2 (unchanged)'));
    assert.ok(p.lines.includes('Runtime: local → docker (the workspace and the agent\'s sessions are copied over, then removed from local)'));
  });

  it('a project never deployed needs no restart', () => {
    const { lines } = redeployPreview({ project: aProject({ tierId: 'lite' }), from: lite, to: standard });
    assert.equal(lines.at(-1), 'Not deployed yet: the new tier applies at its first deploy.');
    assert.ok(!lines.some((l) => /restart/i.test(l)));
  });
});
