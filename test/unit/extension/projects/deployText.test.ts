import assert from 'node:assert/strict';
import { deployDetail } from '../../../../extension/projects/deployText';

describe('deploy confirmation text', () => {
  const base = { tierText: 'Tier "small": 1 CPU · 2 GB RAM · 10 GB disk.', force: false, running: false };

  it('speaks of a local process on the local runtime, of a container and an image elsewhere', () => {
    const local = deployDetail({ ...base, runtime: 'local', model: { providerId: 'fakellm', modelId: 'm', source: 'user-default', configured: true } });
    assert.equal(local, 'Tier "small": 1 CPU · 2 GB RAM · 10 GB disk.\n\nThe agent is started as a local process with the tier\'s limits and the project\'s provider.');
    assert.doesNotMatch(local, /container|image/);
    assert.match(deployDetail({ ...base, runtime: 'docker', model: undefined }), /container is created or updated from the tier's image/);
  });

  it('warns that a running agent restarts, and that no provider leaves it on built-in models', () => {
    const text = deployDetail({ ...base, runtime: 'local', running: true, model: { providerId: null, modelId: null, source: 'none', configured: false } });
    assert.match(text, /⚠ The agent restarts: a turn in progress is interrupted\./);
    assert.match(text, /⚠ No provider is set: the agent runs on opencode's built-in models\./);
  });
});
