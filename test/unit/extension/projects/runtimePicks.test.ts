import assert from 'node:assert/strict';
import type { RuntimeInfo } from '../../../../backend/contract';
import { runtimePicks } from '../../../../extension/projects/runtimePicks';

const rt = (name: RuntimeInfo['name'], available: boolean, isDefault = false): RuntimeInfo => ({ name, available, isDefault });

describe('Create Project runtime step', () => {
  it('offers the available runtimes, the server\'s default first and marked', () => {
    const picks = runtimePicks([rt('local', true), rt('docker', true, true), rt('coolify', false)]);
    assert.deepEqual(picks.map((p) => [p.runtime, p.description ?? '']), [['docker', 'default'], ['local', '']]);
    assert.match(picks[1]!.detail, /no container/);
  });

  it('asks nothing when only one runtime is available', () => {
    assert.deepEqual(runtimePicks([rt('local', true, true), rt('docker', false), rt('coolify', false)]), []);
  });
});
