// The @mention feature of one project's chat, without vscode: answers the picker's queries from the
// workspace index at once and again when the container's /find/file answer arrives, and turns the
// mentions of a sent prompt into opencode parts (filePart.ts). The panel gives it the workspace
// (workspaceFiles.ts) and the agent proxy.
import { z } from 'zod';
import type { Mention, MentionResult } from '../../../webviews/protocol/chat';
import type { Logger } from '../../core/ports';
import { normaliseQuery, type IndexHit } from './fileIndex';
import { containerFilePart, inlineFilePart, isSafeRelativePath, mentionLabel, type OcPromptPart } from './filePart';
import { mergeResults } from './merge';
import { sameRepository } from './repoIdentity';

/** The workspace's files (the index and reading a file). */
export interface WorkspaceFiles {
  /** Resolves once the index is built; starts the build on first call. */
  ready(): Promise<void>;
  query(q: string, limit: number): IndexHit[];
  has(path: string): boolean;
  /** The whole file. */
  read(path: string): Promise<Uint8Array>;
  /** The git remote URLs of the workspace (empty when it is not a git repository). */
  remotes(): Promise<string[]>;
}

/** The project's container, through the agent proxy. */
export interface ContainerFiles {
  /** GET /find/file: workspace-relative paths. */
  find(query: string, limit: number): Promise<string[]>;
  /** The absolute folder the session works in inside the container (opencode's session.directory). */
  directory(sessionId: string): Promise<string | undefined>;
  /** The project's repository URL, if it has one. */
  repositoryUrl(): string | null | undefined;
}

export interface MentionTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

/** How many results the picker gets. */
export const RESULT_LIMIT = 20;
/** Keystrokes closer than this share one container request. */
const CONTAINER_DEBOUNCE_MS = 80;
/** After a failed container request (project stopped, unreachable), only local results for this long. */
const CONTAINER_BACKOFF_MS = 3_000;
const KNOWN_LIMIT = 200_000;

export class ProjectMentions {
  private latest = 0;
  private timer: unknown;
  private containerDownUntil = 0;
  private readonly known = new Set<string>();
  private readonly directories = new Map<string, string>();

  constructor(
    private readonly files: WorkspaceFiles,
    private readonly container: ContainerFiles,
    private readonly timers: MentionTimers,
    private readonly log: Logger,
  ) {}

  dispose(): void {
    this.timers.clearTimeout(this.timer);
    this.latest = Number.MAX_SAFE_INTEGER;
  }

  /**
   * Answers one picker query: `post` is called with the workspace's results as soon as the index
   * answers, and again with the merged list when the container's answer arrives (if still current).
   */
  async query(seq: number, q: string, post: (items: MentionResult[]) => void): Promise<void> {
    this.latest = seq;
    this.timers.clearTimeout(this.timer);
    let local: IndexHit[] = [];
    const merged = (container: readonly string[]) => mergeResults(q, {
      local, container, localHas: (p) => this.files.has(p), containerHas: (p) => this.known.has(p),
    }, RESULT_LIMIT);
    // A bare `@` lists the workspace only: opencode's search needs something to match.
    const fromContainer = normaliseQuery(q) !== '' && this.timers.now() >= this.containerDownUntil;
    if (fromContainer) {
      this.timer = this.timers.setTimeout(() => {
        void this.askContainer(seq, q).then((paths) => {
          if (paths && seq === this.latest) post(merged(paths));
        });
      }, CONTAINER_DEBOUNCE_MS);
    }
    try {
      await this.files.ready();
    } catch (e) {
      this.log.warn(`mentions: the workspace index is not available: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (seq !== this.latest) return;
    local = this.files.query(q, RESULT_LIMIT);
    post(merged([]));
  }

  private async askContainer(seq: number, q: string): Promise<string[] | undefined> {
    if (seq !== this.latest) return undefined;
    try {
      const paths = await this.container.find(q, RESULT_LIMIT * 2);
      for (const p of paths) if (this.known.size < KNOWN_LIMIT) this.known.add(p.replace(/\/+$/, ''));
      return paths;
    } catch (e) {
      this.containerDownUntil = this.timers.now() + CONTAINER_BACKOFF_MS;
      this.log.debug(`mentions: the container's file search failed (local results only for a while): ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /** The parts that carry a prompt's mentions, in order (see filePart.ts for the rules). */
  async parts(sessionId: string, mentions: readonly Mention[]): Promise<OcPromptPart[]> {
    const out: OcPromptPart[] = [];
    const seen = new Set<string>();
    let same: boolean | undefined;
    for (const m of mentions) {
      const label = mentionLabel(m);
      if (seen.has(label)) continue;
      seen.add(label);
      if (!isSafeRelativePath(m.path)) {
        out.push(note(`[Hangar: ${label} is not a path inside the workspace; it was not attached.]`));
        continue;
      }
      try {
        const local = this.files.has(m.path);
        if (local) {
          same ??= sameRepository(this.container.repositoryUrl(), await this.files.remotes().catch(() => []));
          const dir = same && (await this.containerHas(m.path)) ? await this.directory(sessionId) : undefined;
          out.push(dir ? containerFilePart(dir, m) : inlineFilePart(m, await this.files.read(m.path)));
        } else {
          const dir = await this.directory(sessionId);
          out.push(dir ? containerFilePart(dir, m) : note(`[Hangar: could not attach ${label}: the agent's workspace folder is unknown.]`));
        }
      } catch (e) {
        this.log.warn(`mentions: could not attach ${label}: ${e instanceof Error ? e.message : String(e)}`);
        out.push(note(`[Hangar: could not attach ${label}: ${e instanceof Error ? e.message : String(e)}]`));
      }
    }
    return out;
  }

  private async containerHas(path: string): Promise<boolean> {
    if (this.known.has(path)) return true;
    try {
      const found = await this.container.find(path, 10);
      for (const p of found) if (this.known.size < KNOWN_LIMIT) this.known.add(p.replace(/\/+$/, ''));
      return found.some((p) => p.replace(/^\.?\/+/, '') === path);
    } catch {
      return false;
    }
  }

  private async directory(sessionId: string): Promise<string | undefined> {
    const cached = this.directories.get(sessionId);
    if (cached) return cached;
    const dir = await this.container.directory(sessionId);
    if (dir && dir.startsWith('/')) this.directories.set(sessionId, dir);
    return dir && dir.startsWith('/') ? dir : undefined;
  }
}

function note(text: string): OcPromptPart {
  return { type: 'text', text, synthetic: true };
}

const SessionDirectory = z.object({ directory: z.string().optional() }).passthrough();

/** ContainerFiles over the agent proxy (ApiClient.agent). */
export function containerFiles(
  client: { agent<T>(projectId: string, method: string, path: string, schema: { parse(v: unknown): T }, body?: unknown): Promise<T> },
  projectId: string,
  repositoryUrl: () => string | null | undefined,
): ContainerFiles {
  return {
    find: (query, limit) => {
      const qs = new URLSearchParams({ query: query.slice(0, 1000), dirs: 'false', limit: String(Math.min(200, Math.max(1, limit))) });
      return client.agent(projectId, 'GET', `/find/file?${qs.toString()}`, z.array(z.string()));
    },
    directory: async (sessionId) => (await client.agent(projectId, 'GET', `/session/${encodeURIComponent(sessionId)}`, SessionDirectory)).directory,
    repositoryUrl,
  };
}
