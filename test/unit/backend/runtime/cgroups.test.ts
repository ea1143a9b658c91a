import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Tier } from '../../../../backend/contract';
import { CgroupLimiter, toBytes } from '../../../../backend/runtime/local/cgroups';

const tier = { cpus: 2, memory: '4g', memoryReservation: '2g' } as Tier;

describe('local runtime cgroup limits', () => {
  it('writes memory, reservation and CFS quota where the controllers are writable', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-'));
    fs.mkdirSync(path.join(root, 'memory'));
    fs.mkdirSync(path.join(root, 'cpu'));
    const { groups, notes } = new CgroupLimiter(root).prepare('p1', tier);
    assert.deepEqual(notes, []);
    assert.deepEqual(groups, [path.join(root, 'memory/hangar/p1'), path.join(root, 'cpu/hangar/p1')]);
    assert.equal(fs.readFileSync(path.join(root, 'memory/hangar/p1/memory.limit_in_bytes'), 'utf8'), String(4 * 1024 ** 3));
    assert.equal(fs.readFileSync(path.join(root, 'memory/hangar/p1/memory.soft_limit_in_bytes'), 'utf8'), String(2 * 1024 ** 3));
    assert.equal(fs.readFileSync(path.join(root, 'cpu/hangar/p1/cpu.cfs_quota_us'), 'utf8'), '200000');
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reports limits as not enforced when the controllers are missing', () => {
    const { groups, notes } = new CgroupLimiter('/nonexistent-cgroup-root').prepare('p1', tier);
    assert.deepEqual(groups, []);
    assert.deepEqual(notes, [
      'memory limit 4g not enforced: cgroup v1 memory controller not mounted at /nonexistent-cgroup-root/memory',
      'cpu limit 2 not enforced: cgroup v1 cpu controller not mounted at /nonexistent-cgroup-root/cpu',
    ]);
  });

  it('parses Docker-style sizes', () => {
    assert.equal(toBytes('512m'), 512 * 1024 ** 2);
    assert.throws(() => toBytes('4G'), /not a memory size/);
  });
});
