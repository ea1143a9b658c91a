import type { Logger } from '../ports';
import type { Timers } from '../timers';
import { CorruptStore, decodeStore, encodeStore, encodeStoreInPieces } from './storeCodec';
import { shrinkToFit, trimStore, type StoreLimits } from './storeEviction';
import type { StoreFile } from './storeFile';
import { emptyServer, emptyStore, type CachedTranscript, type ListSection, type ServerCache, type StoreData } from './storeSchema';

export interface LocalStorePorts {
  file: StoreFile;
  /**
   * A small second file with the lists only (projects, tiers, providers, activity), written after the
   * main one: read first at activation, so the views show their copy before the large file (with the
   * transcripts) is read and parsed.
   */
  listsFile?: StoreFile;
  log: Logger;
  timers: Timers;
  /** Read on every write, so a changed setting applies at the next write. */
  limits(): StoreLimits;
}

/** How long a burst of changes is gathered before one write. */
export const WRITE_DELAY_MS = 1500;

/**
 * The extension's offline copy of what each server last said (design.md, path 6). Reads are from
 * memory; changes are written later in one batch (off the hot path), atomically, within the size
 * limit. A file that cannot be read is set aside and rebuilt with a logged notice: a broken cache
 * never breaks the extension, it only starts empty.
 */
export class LocalStore {
  private data: StoreData = emptyStore();
  private timer: unknown;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  private lastBytes = 0;
  /** Resolves once the file has been read (or found missing or rebuilt). */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  /** Resolves once the lists can be read (from the small lists file, or the main file when there is none). */
  readonly listsReady: Promise<void>;
  private markListsReady!: () => void;

  constructor(private readonly ports: LocalStorePorts) {
    this.ready = new Promise((r) => { this.markReady = r; });
    this.listsReady = new Promise((r) => { this.markListsReady = r; });
  }

  /** Reads the file; never throws. Call without awaiting: activation does not wait for the disk. */
  async load(): Promise<void> {
    if (await this.loadLists()) this.markListsReady();
    try {
      const text = await this.ports.file.read();
      if (text !== undefined) this.data = mergeInto(decodeStore(text), this.data);
      this.lastBytes = text ? Buffer.byteLength(text) : 0;
    } catch (err) {
      const why = err instanceof CorruptStore ? err.message : (err as Error).message;
      this.ports.log.warn(`The offline store could not be read (${why}); it was set aside and is rebuilt from the server.`);
      await this.ports.file.quarantine().catch(() => undefined);
      this.dirty = true;
      this.schedule();
    } finally {
      this.markListsReady();
      this.markReady();
    }
  }

  /** The lists from their small file; a missing or damaged one is no matter (the main file has them too). */
  private async loadLists(): Promise<boolean> {
    if (!this.ports.listsFile) return false;
    try {
      const text = await this.ports.listsFile.read();
      if (text === undefined) return false;
      this.data = mergeInto(decodeStore(text), this.data);
      return true;
    } catch (err) {
      this.ports.log.debug(`offline store: the lists file was not used (${(err as Error).message})`);
      return false;
    }
  }

  /** The size of the file at the last read or write. */
  get bytes(): number { return this.lastBytes; }

  server(url: string): Readonly<ServerCache> | undefined { return this.data.servers[url]; }

  list(url: string, section: ListSection): { at: number; items: readonly unknown[] } | undefined {
    return this.data.servers[url]?.[section];
  }

  putList(url: string, section: ListSection, items: readonly unknown[], at: number = this.ports.timers.now()): void {
    this.serverFor(url)[section] = { at, items: [...items] };
    this.changed();
  }

  /** A transcript read from the cache counts as used: it is the last to be evicted. */
  transcript(url: string, projectId: string, sessionId: string): Readonly<CachedTranscript> | undefined {
    const t = this.data.servers[url]?.transcripts[projectId]?.[sessionId];
    if (t) {
      t.usedAt = this.ports.timers.now();
      this.changed();
    }
    return t;
  }

  /** The project's cached sessions, most recently used first. */
  transcripts(url: string, projectId: string): { sessionId: string; transcript: Readonly<CachedTranscript> }[] {
    return Object.entries(this.data.servers[url]?.transcripts[projectId] ?? {})
      .sort(([, a], [, b]) => b.usedAt - a.usedAt).map(([sessionId, transcript]) => ({ sessionId, transcript }));
  }

  putTranscript(url: string, projectId: string, sessionId: string, t: { title?: string; messages: readonly unknown[] }): void {
    const now = this.ports.timers.now();
    const byProject = this.serverFor(url).transcripts;
    (byProject[projectId] ??= {})[sessionId] = { at: now, usedAt: now, ...(t.title ? { title: t.title } : {}), messages: [...t.messages] };
    this.changed();
  }

  /** The project is gone (deleted event, 404): its transcripts go with it. */
  forgetProject(url: string, projectId: string): void {
    const cache = this.data.servers[url];
    if (!cache?.transcripts[projectId]) return;
    delete cache.transcripts[projectId];
    this.changed();
  }

  /** Drops a list (the server said it changed and a fresh copy is coming) or a whole server. */
  invalidate(url: string, section?: ListSection): void {
    const cache = this.data.servers[url];
    if (!cache) return;
    if (section) delete cache[section];
    else delete this.data.servers[url];
    this.changed();
  }

  /** Writes pending changes now (deactivation); resolves when they are on disk. */
  async flush(): Promise<void> {
    if (this.timer !== undefined) this.ports.timers.clearTimeout(this.timer);
    this.timer = undefined;
    await this.write();
  }

  private serverFor(url: string): ServerCache {
    return (this.data.servers[url] ??= emptyServer());
  }

  private changed(): void {
    this.dirty = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = this.ports.timers.setTimeout(() => {
      this.timer = undefined;
      void this.write();
    }, WRITE_DELAY_MS);
  }

  private write(): Promise<void> {
    this.writing = this.writing.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      // Encoded a transcript at a time, yielding between them: a large store never stalls the host.
      const limits = this.ports.limits();
      const trimmed = trimStore(this.data, limits, this.ports.timers.now());
      const encoded = await encodeStoreInPieces(this.data, yieldToHost);
      const fitted = shrinkToFit(this.data, limits, trimmed, encoded);
      if (fitted.evicted > 0) this.ports.log.info(`Offline store: ${fitted.evicted} old transcript(s) evicted to stay within its limits.`);
      try {
        await this.ports.file.write(fitted.text);
        this.lastBytes = fitted.bytes;
        await this.ports.listsFile?.write(encodeStore(listsOnly(this.data)));
      } catch (err) {
        this.dirty = true;
        this.ports.log.warn(`The offline store could not be written: ${(err as Error).message}`);
      }
    });
    return this.writing;
  }
}

/** The data without its transcripts (the lists file). */
function listsOnly(data: StoreData): StoreData {
  const servers: StoreData['servers'] = {};
  for (const [url, cache] of Object.entries(data.servers)) servers[url] = { ...cache, transcripts: {} };
  return { v: data.v, servers };
}

const yieldToHost = () => new Promise<void>((r) => setImmediate(r));

/**
 * What was put before the file was read (or read from the lists file) meets the file: the newer copy of
 * each list wins (a list put from a fetch is always newer than the file), transcripts in memory win.
 */
function mergeInto(fromFile: StoreData, inMemory: StoreData): StoreData {
  for (const [url, cache] of Object.entries(inMemory.servers)) {
    const base = (fromFile.servers[url] ??= emptyServer());
    for (const s of ['projects', 'tiers', 'providers', 'activity'] as const) {
      const mine = cache[s];
      if (mine && (!base[s] || mine.at >= base[s].at)) base[s] = mine;
    }
    for (const [p, sessions] of Object.entries(cache.transcripts)) base.transcripts[p] = { ...base.transcripts[p], ...sessions };
  }
  return fromFile;
}
