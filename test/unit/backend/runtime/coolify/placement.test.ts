import assert from 'node:assert/strict';
import { freeCapacity, memoryBytes, placeProject, type CoolifyServer, type Placed } from '../../../../../backend/runtime/coolify/placement';

const G = 1024 ** 3;
const servers: CoolifyServer[] = [
  { uuid: 'small', name: 'small', cpus: 4, memoryBytes: 8 * G, desktop: false },
  { uuid: 'big', name: 'big', cpus: 16, memoryBytes: 32 * G, desktop: true },
];
const std = { cpus: 2, memoryBytes: 4 * G, desktop: false };

describe('coolify placement across servers', () => {
  it('reads Coolify memory strings', () => {
    assert.deepEqual(['4g', '512m', '1024', '2K', '', null, 'lots'].map(memoryBytes), [4 * G, 512 * 1024 ** 2, 1024, 2048, 0, 0, 0]);
  });

  it('puts a project on the fitting server with the most memory left, and counts what is in use there', () => {
    const placed: Placed[] = [{ projectId: 'a', server: 'big', cpus: 14, memoryBytes: 30 * G }];
    const free = freeCapacity(servers, placed);
    assert.deepEqual(free.get('big'), { cpus: 2, memoryBytes: 2 * G });
    const r = placeProject(servers, placed, 'b', std);
    assert.ok('server' in r);
    assert.equal(r.server.uuid, 'small', 'big has 2 GiB left, the tier needs 4');
    assert.equal(r.moved, false);
    const empty = placeProject(servers, [], 'b', std);
    assert.ok('server' in empty && empty.server.uuid === 'big');
  });

  it('sends a desktop tier only to a desktop-capable server', () => {
    const placed: Placed[] = [{ projectId: 'a', server: 'big', cpus: 15, memoryBytes: 8 * G }];
    const r = placeProject(servers, placed, 'd', { cpus: 2, memoryBytes: 4 * G, desktop: true });
    assert.ok('problem' in r);
    assert.match(r.problem, /small: cannot run the desktop image; big: 1 of 16 CPU free, 2 needed/);
  });

  it('keeps a project where it runs while it fits, and moves it when its new tier does not', () => {
    const placed: Placed[] = [{ projectId: 'p', server: 'small', cpus: 2, memoryBytes: 4 * G }, { projectId: 'q', server: 'small', cpus: 2, memoryBytes: 2 * G }];
    const same = placeProject(servers, placed, 'p', std);
    assert.ok('server' in same && same.server.uuid === 'small' && !same.moved, 'its own reservation does not count against it');
    const bigger = placeProject(servers, placed, 'p', { cpus: 4, memoryBytes: 8 * G, desktop: false });
    assert.ok('server' in bigger);
    assert.deepEqual([bigger.server.uuid, bigger.moved], ['big', true]);
  });
});
