import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ErrorBody, Project, ProjectList } from '../../../backend/contract';
import { client, startTestApi, type TestApi } from '../support/apiServer';

/** Fills the volume: one big file, written until the kernel says ENOSPC. */
function fill(file: string): void {
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
  // Whatever a partial chunk left: fill it too.
  try {
    fs.appendFileSync(file, Buffer.alloc(1024, 1));
  } catch {
    // full
  }
}

/**
 * A full disk under the data dir (a small tmpfs mounted there): writes answer 507 in the one error
 * shape, reads keep working, nothing half-written shows up, and the API recovers on its own once
 * space is freed.
 */
describe('fault injection: the data dir\'s disk is full (tmpfs volume)', function () {
  this.timeout(60_000);
  const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-faults-disk-'));
  const filler = path.join(mountPoint, 'filler.bin');
  let mounted = false;
  let api: TestApi;

  before(function () {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m,mode=0700', 'tmpfs', mountPoint], { stdio: 'pipe' });
      mounted = true;
    } catch (err) {
      if (process.env.CI === 'true') throw new Error(`cannot mount a tmpfs for the full-disk test (needs root): ${(err as Error).message}`, { cause: err });
      this.skip();
    }
  });
  after(async () => {
    await api?.close();
    if (mounted) execFileSync('umount', ['-l', mountPoint]);
    fs.rmSync(mountPoint, { recursive: true, force: true });
  });

  it('answers 507 insufficient_storage for writes, keeps reads, and recovers when space is freed', async () => {
    api = await startTestApi({ HANGAR_RUNTIME: 'local' }, path.join(mountPoint, 'data'));
    const http = client(api.url, api.adminToken);
    const before = (await http.post<Project>('/api/projects', { name: 'before the disk filled' }));
    assert.equal(before.status, 201);
    fill(filler);

    // Writes until the database needs a page it cannot get (SQLite may still have a free one or two).
    const refused: number[] = [];
    for (let i = 0; i < 300 && refused.length < 3; i++) {
      const res = await http.post<ErrorBody>('/api/projects', { name: `while full ${i}` });
      if (res.status === 201) continue;
      assert.equal(res.status, 507, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'insufficient_storage');
      assert.match(res.body.error.message, /disk is full/);
      refused.push(i);
    }
    assert.ok(refused.length > 0, 'writes on a full disk were refused');
    const list = await http.get<ProjectList>('/api/projects');
    assert.equal(list.status, 200, 'reads still work');
    assert.ok(list.body.items.some((p) => p.id === before.body.id));
    assert.equal((await http.get('/api/health')).status, 200);

    fs.rmSync(filler);
    const after = await http.post<Project>('/api/projects', { name: 'after space was freed' });
    assert.equal(after.status, 201, JSON.stringify(after.body));
    const names = (await http.get<ProjectList>('/api/projects')).body.items.map((p) => p.name);
    assert.ok(names.includes('after space was freed') && names.includes('before the disk filled'));
    for (const i of refused) assert.ok(!names.includes(`while full ${i}`), 'a refused write left no row');
    // The database is whole.
    const db = api.server.services.db;
    const check = await db.selectFrom('projects').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(check.n), names.length);
  });
});
