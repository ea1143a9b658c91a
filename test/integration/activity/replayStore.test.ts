import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ReplayStore } from '../../../backend/activity/replayStore';
import { openDatabase, type Db } from '../../../backend/db/database';
import { testDatabaseConfig } from '../../harness/postgres.mjs';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

describe('activity: webhook replay store (SQLite or PostgreSQL, migration 0008_notify)', () => {
  let dir: string;
  let db: Db;
  const now = Date.parse('2026-01-01T00:00:00Z');

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-replay-'));
    db = await openDatabase(await testDatabaseConfig(dir, 'h.db'));
  });
  afterEach(async () => {
    await db.destroy();
    removeDataDir(dir);
  });

  it('refuses a signature seen before, also from a new process, until it could no longer pass the window anyway', async () => {
    const store = new ReplayStore(db, 600_000);
    assert.equal(await store.firstSeen('s', now), true);
    assert.equal(await store.firstSeen('s', now + 1000), false);
    // Another API process on the same database (a restart) still knows it.
    await db.destroy();
    db = await openDatabase(await testDatabaseConfig(dir, 'h.db'));
    const again = new ReplayStore(db, 600_000);
    assert.equal(await again.firstSeen('s', now + 2000), false);
    assert.equal(await again.firstSeen('s', now + 600_001), true);
  });

  it('stays bounded: expired signatures are pruned as new ones arrive', async () => {
    const store = new ReplayStore(db, 1000, 50);
    for (let i = 0; i < 120; i++) assert.equal(await store.firstSeen(`sig-${i}`, now + i * 100), true);
    // With a 1 s lifetime and one call per 100 ms, at most the last ~10 (plus one prune period) remain.
    assert.ok((await store.size()) <= 60, `size ${await store.size()}`);
    assert.equal(await store.firstSeen('sig-119', now + 119 * 100 + 1), false);
  });
});
