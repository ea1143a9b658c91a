import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../../backend/db/database';
import { silentLogger } from '../../../backend/logger';
import { CatalogService, type CatalogOptions } from '../../../backend/providers/catalog';
import { miniCatalog, startModelsServer, type ModelsServer } from './modelsServer';
import { testDatabaseConfig } from '../../harness/postgres.mjs';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

const HOUR = 3_600_000;

describe('provider catalog: models.dev with ETag, TTL and offline fallbacks', function () {
  let dir: string;
  let db: Db;
  let models: ModelsServer;
  let clock: number;
  const service = (opts: Partial<CatalogOptions> = {}) => new CatalogService(db, silentLogger, {
    url: models.url, ttlMs: 6 * HOUR, retryMs: 5 * 60_000, timeoutMs: 2000, now: () => clock, ...opts,
  });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-catalog-'));
    db = await openDatabase(await testDatabaseConfig(dir));
    models = await startModelsServer();
    clock = Date.parse('2026-01-01T00:00:00Z');
  });
  afterEach(async () => {
    await models.close();
    await db.destroy();
    removeDataDir(dir);
  });

  it('fetches once, serves from memory within the TTL, then revalidates with If-None-Match and takes a 304', async () => {
    const catalog = service();
    const first = await catalog.get();
    assert.deepEqual(first.info, { source: 'live', fetchedAt: '2026-01-01T00:00:00.000Z', stale: false });
    assert.deepEqual(models.requests, [{ ifNoneMatch: undefined }]);
    clock += 5 * HOUR;
    await catalog.get();
    assert.equal(models.requests.length, 1, 'no request within the TTL');
    clock += 2 * HOUR;
    const revalidated = await catalog.get();
    assert.deepEqual(models.requests, [{ ifNoneMatch: undefined }, { ifNoneMatch: '"v1"' }]);
    assert.deepEqual(revalidated.info, { source: 'live', fetchedAt: '2026-01-01T07:00:00.000Z', stale: false });
    assert.equal(revalidated.catalog, first.catalog, 'a 304 keeps the parsed copy');
    const row = await db.selectFrom('catalog_cache').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([row.etag, row.fetched_at, row.url], ['"v1"', '2026-01-01T07:00:00.000Z', models.url]);
  });

  it('takes a changed catalog (200 with a new ETag) after the TTL', async () => {
    const catalog = service();
    await catalog.get();
    models.setCatalog(miniCatalog(2), '"v2"');
    clock += 6 * HOUR;
    const next = await catalog.get();
    assert.ok(next.catalog.providers.get('openai')!.models.has('gpt-v2'));
    assert.equal((await db.selectFrom('catalog_cache').select('etag').executeTakeFirstOrThrow()).etag, '"v2"');
  });

  it('serves the cached copy from the database when models.dev is down, and retries only after the retry delay', async () => {
    await service().get();
    models.setDown(true);
    clock += 7 * HOUR;
    const restarted = service();
    const served = await restarted.get();
    assert.deepEqual(served.info, { source: 'cache', fetchedAt: '2026-01-01T00:00:00.000Z', stale: true });
    assert.ok(served.catalog.providers.has('openai'));
    assert.equal(models.requests.length, 2);
    clock += 60_000;
    await restarted.get();
    assert.equal(models.requests.length, 2, 'no retry storm while down');
    models.setDown(false);
    clock += 5 * 60_000;
    const back = await restarted.get();
    assert.deepEqual([back.info.source, back.info.stale, models.requests.length], ['live', false, 3]);
    assert.equal(models.requests[2]!.ifNoneMatch, '"v1"', 'revalidates the cached copy');
  });

  it('falls back to the bundled snapshot on a fresh machine with no network', async () => {
    await models.close();
    const served = await service({ timeoutMs: 1000 }).get();
    assert.deepEqual(served.info, { source: 'snapshot', fetchedAt: null, stale: true });
    assert.ok(served.catalog.providers.size >= 100, `the snapshot has the full catalog (${served.catalog.providers.size})`);
    assert.ok(served.catalog.providers.get('anthropic')!.models.size > 0);
    models = await startModelsServer();
  });

  it('never fetches with HANGAR_MODELS_URL=off: the snapshot, not stale', async () => {
    const served = await service({ url: null }).get();
    assert.deepEqual(served.info, { source: 'snapshot', fetchedAt: null, stale: false });
    assert.equal(models.requests.length, 0);
  });

  it('parses odd entries leniently: unknown keys kept, no cost or limits, ids with / and :, malformed ones skipped', async () => {
    const { catalog } = await service().get();
    assert.deepEqual([...catalog.providers.keys()].sort(), ['github-copilot', 'openai', 'openrouter']);
    const or = catalog.providers.get('openrouter')!;
    assert.deepEqual([...or.models.keys()].sort(), ['meta-llama/llama-3.1-8b:free', 'no-limits']);
    const free = or.models.get('meta-llama/llama-3.1-8b:free')!;
    assert.equal(free.cost, undefined);
    assert.equal((free as Record<string, unknown>).futureField, true);
    assert.deepEqual(catalog.skipped.sort(), ['junk', 'openrouter/broken', 'worse']);
  });

  it('keeps the last good copy when models.dev answers something that is not a catalog', async () => {
    const catalog = service();
    await catalog.get();
    models.setCatalog([] as unknown as Record<string, unknown>, '"bad"');
    clock += 6 * HOUR;
    const served = await catalog.get();
    assert.equal(served.info.stale, true);
    assert.ok(served.catalog.providers.has('openai'));
    assert.equal((await db.selectFrom('catalog_cache').select('etag').executeTakeFirstOrThrow()).etag, '"v1"');
  });
});
