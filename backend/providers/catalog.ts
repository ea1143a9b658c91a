import fs from 'node:fs';
import path from 'node:path';
import type { CatalogInfo } from '../contract';
import type { Db } from '../db/database';
import type { Logger } from '../logger';
import { parseCatalog, type ParsedCatalog } from './modelsDev';

export interface CatalogOptions {
  /** The live catalog; null = never fetch (air-gapped servers use the cache or the snapshot). */
  url: string | null;
  ttlMs: number;
  /** After a failed fetch, how long to serve the fallback before trying again. */
  retryMs: number;
  timeoutMs: number;
  /** The bundled snapshot; found next to the code when not given. */
  snapshotFile?: string | undefined;
  now?: () => number;
}

/** Source checkout (backend/providers → backend/data) and the built API (dist/backend → backend/data). */
function findSnapshot(): string {
  const candidates = [
    path.join(__dirname, '..', 'data', 'models-dev-api.json'),
    path.join(__dirname, '..', '..', 'backend', 'data', 'models-dev-api.json'),
    path.join(__dirname, 'data', 'models-dev-api.json'),
  ];
  return candidates.find((f) => fs.existsSync(f)) ?? candidates[0]!;
}

const CACHE_KEY = 'models.dev';

interface Current {
  catalog: ParsedCatalog;
  source: CatalogInfo['source'];
  fetchedAt: number | null;
  etag: string | null;
}

/**
 * The provider catalog: live from models.dev with ETag revalidation and a TTL, the last good copy
 * in the database when that fails, and the bundled snapshot on a fresh offline machine. Loaded
 * lazily: a server that never lists providers never reads the 3 MB snapshot.
 */
export class CatalogService {
  private current: Current | undefined;
  private loading: Promise<Current> | undefined;
  private refreshing: Promise<void> | undefined;
  private lastFailureAt: number | undefined;
  private readonly now: () => number;

  constructor(private readonly db: Db, private readonly log: Logger, private readonly opts: CatalogOptions) {
    this.now = opts.now ?? Date.now;
  }

  async get(): Promise<{ catalog: ParsedCatalog; info: CatalogInfo }> {
    this.loading ??= this.loadStored();
    this.current ??= await this.loading;
    if (this.due()) {
      this.refreshing ??= this.refresh().finally(() => { this.refreshing = undefined; });
      await this.refreshing;
    }
    const cur = this.current;
    return {
      catalog: cur.catalog,
      info: {
        source: cur.source,
        fetchedAt: cur.fetchedAt === null ? null : new Date(cur.fetchedAt).toISOString(),
        stale: this.opts.url !== null && this.expired() && this.lastFailureAt !== undefined,
      },
    };
  }

  private expired(): boolean {
    const at = this.current?.fetchedAt;
    return at === null || at === undefined || this.now() - at >= this.opts.ttlMs;
  }

  private due(): boolean {
    if (this.opts.url === null || !this.expired()) return false;
    return this.lastFailureAt === undefined || this.now() - this.lastFailureAt >= this.opts.retryMs;
  }

  private async loadStored(): Promise<Current> {
    const row = await this.db.selectFrom('catalog_cache').selectAll().where('key', '=', CACHE_KEY).executeTakeFirst();
    if (row) {
      try {
        return { catalog: parseCatalog(row.body), source: 'cache', fetchedAt: Date.parse(row.fetched_at), etag: row.etag };
      } catch (err) {
        this.log.warn('the cached provider catalog is unreadable; using the bundled snapshot', { error: String(err) });
      }
    }
    const file = this.opts.snapshotFile ?? findSnapshot();
    const catalog = parseCatalog(await fs.promises.readFile(file, 'utf8'));
    return { catalog, source: 'snapshot', fetchedAt: null, etag: null };
  }

  private async refresh(): Promise<void> {
    const url = this.opts.url!;
    const cur = this.current!;
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'hangar' };
    // Revalidate only a copy that came from this URL: the snapshot has no ETag.
    if (cur.etag && cur.source !== 'snapshot') headers['If-None-Match'] = cur.etag;
    const started = this.now();
    try {
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(this.opts.timeoutMs) });
      const fetchedAt = this.now();
      if (res.status === 304) {
        await res.body?.cancel();
        await this.db.updateTable('catalog_cache').set({ fetched_at: new Date(fetchedAt).toISOString() }).where('key', '=', CACHE_KEY).execute();
        this.current = { ...cur, source: 'live', fetchedAt };
      } else if (res.ok) {
        const body = await res.text();
        const catalog = parseCatalog(body);
        const etag = res.headers.get('etag');
        const row = { key: CACHE_KEY, url, body, etag, fetched_at: new Date(fetchedAt).toISOString() };
        await this.db.insertInto('catalog_cache').values(row)
          .onConflict((oc) => oc.column('key').doUpdateSet({ url, body, etag, fetched_at: row.fetched_at })).execute();
        this.current = { catalog, source: 'live', fetchedAt, etag };
        if (catalog.skipped.length) this.log.info('provider catalog: skipped malformed entries', { count: catalog.skipped.length, first: catalog.skipped.slice(0, 5) });
      } else {
        await res.body?.cancel();
        throw new Error(`HTTP ${res.status}`);
      }
      this.lastFailureAt = undefined;
      this.log.debug('provider catalog refreshed', { status: res.status, ms: this.now() - started });
    } catch (err) {
      this.lastFailureAt = this.now();
      this.log.warn('the live provider catalog is unreachable; serving the last good copy', {
        url, source: cur.source, error: err instanceof Error ? err.message : String(err),
      });
    }
  }
}
