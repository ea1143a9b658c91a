import fs from 'node:fs';
import { WORKSPACE_FILE_LIMIT, WORKSPACE_LIST_LIMIT, WorkspaceDirectory, WorkspaceFileContent, WorkspaceStat } from '../contract';
import type { WorkspaceChange, WorkspaceChanged } from '../contract';
import { HttpError } from '../errors';
import type { Logger } from '../logger';
import type { AgentWorkspace } from '../opencode/agentWorkspace';
import type { AgentTarget } from '../opencode/upstream';
import type { RuntimeDriver } from '../runtime/driver';
import { needsAgentReload, reloadAgent } from './agentReload';
import { fsError } from './fsErrors';
import { FS_SCRIPT } from './fsScript';

/** What the file service needs of the rest of the API (wired in routes/workspaceFiles.ts). */
export interface WorkspaceFilesDeps {
  /** Owner-checked: another user's project is 404. */
  ownedRow(userId: string, projectId: string): Promise<{ id: string; runtime: string }>;
  driverFor(projectId: string): Promise<RuntimeDriver>;
  workspace(projectId: string, runtime: string): AgentWorkspace;
  /** The running agent, for reloading its config; throws when it is not running. */
  agentTarget(userId: string, projectId: string): Promise<AgentTarget>;
  publish(userId: string, data: WorkspaceChanged): void;
  log: Logger;
}

type Request =
  | { op: 'stat' | 'list' | 'read' | 'mkdir'; path: string }
  | { op: 'write'; path: string; create: boolean; overwrite: boolean }
  | { op: 'delete'; path: string; recursive: boolean }
  | { op: 'rename'; from: string; to: string; overwrite: boolean };

/** Base64 travels in argv chunks below the kernel's limit for one argument (128 KiB). */
const CHUNK = 96 * 1024;
const TIMEOUT_MS = 30_000;

/**
 * A project's workspace files for the `hangar:` file system: each call runs FS_SCRIPT where the
 * workspace is, through the project's runtime driver (local: Node on this host; docker and
 * coolify: opencode's Bun in the container), confined to the workspace there. Changes are
 * published as `workspace.changed`, and a change to the agent's config reloads its instance.
 */
export class WorkspaceFiles {
  /** Per project: the reload running now, and the one queued behind it (later asks join that one). */
  private readonly running = new Map<string, Promise<boolean>>();
  private readonly queued = new Map<string, Promise<boolean>>();

  constructor(private readonly deps: WorkspaceFilesDeps) {}

  async stat(userId: string, projectId: string, path: string): Promise<WorkspaceStat> {
    return WorkspaceStat.parse(await this.run(userId, projectId, { op: 'stat', path }));
  }

  async list(userId: string, projectId: string, path: string): Promise<WorkspaceDirectory> {
    return WorkspaceDirectory.parse(await this.run(userId, projectId, { op: 'list', path }));
  }

  async read(userId: string, projectId: string, path: string): Promise<WorkspaceFileContent> {
    return WorkspaceFileContent.parse(await this.run(userId, projectId, { op: 'read', path }));
  }

  async write(userId: string, projectId: string, body: { path: string; content: string; create: boolean; overwrite: boolean }): Promise<void> {
    if (Buffer.byteLength(body.content, 'base64') > WORKSPACE_FILE_LIMIT) throw fsError('too_large', body.path);
    const chunks: string[] = [];
    for (let i = 0; i < body.content.length; i += CHUNK) chunks.push(body.content.slice(i, i + CHUNK));
    const { path, create, overwrite } = body;
    const res = await this.run(userId, projectId, { op: 'write', path, create, overwrite }, chunks) as { created?: boolean };
    await this.changed(userId, projectId, [{ type: res.created ? 'created' : 'changed', path }]);
  }

  async mkdir(userId: string, projectId: string, path: string): Promise<void> {
    await this.run(userId, projectId, { op: 'mkdir', path });
    await this.changed(userId, projectId, [{ type: 'created', path }]);
  }

  async delete(userId: string, projectId: string, path: string, recursive: boolean): Promise<void> {
    await this.run(userId, projectId, { op: 'delete', path, recursive });
    await this.changed(userId, projectId, [{ type: 'deleted', path }]);
  }

  async rename(userId: string, projectId: string, body: { from: string; to: string; overwrite: boolean }): Promise<void> {
    if (body.from === body.to) {
      await this.deps.ownedRow(userId, projectId);
      return;
    }
    await this.run(userId, projectId, { op: 'rename', ...body });
    await this.changed(userId, projectId, [{ type: 'deleted', path: body.from }, { type: 'created', path: body.to }]);
  }

  private async run(userId: string, projectId: string, req: Request, chunks: string[] = []): Promise<unknown> {
    const row = await this.deps.ownedRow(userId, projectId);
    const driver = await this.deps.driverFor(projectId);
    const ws = this.deps.workspace(projectId, row.runtime);
    const request = JSON.stringify({ ...req, root: ws.hostRoot ?? ws.agentRoot, limit: req.op === 'list' ? WORKSPACE_LIST_LIMIT : WORKSPACE_FILE_LIMIT });
    // A local project never deployed has no folder to run the program in (spawn would fail with ENOENT, a 502).
    if (driver.name === 'local' && ws.hostRoot && !fs.existsSync(ws.hostRoot)) throw fsError('no_workspace', '');
    // Local: this host's Node (the workspace is here). Containers: the image always has opencode, a Bun binary.
    const runner = driver.name === 'local' ? [process.execPath] : ['opencode'];
    const env = driver.name === 'local' ? undefined : { BUN_BE_BUN: '1' };
    let out;
    try {
      out = await driver.exec(projectId, [...runner, '-e', FS_SCRIPT, 'hangar-fs', request, ...chunks], { ...(env ? { env } : {}), timeoutMs: TIMEOUT_MS });
    } catch (err) {
      if (err instanceof HttpError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new HttpError(502, 'workspace_unreachable', `The project's runtime could not reach the workspace: ${message}`, undefined, true);
    }
    const line = out.stdout.split('\n').reverse().find((l) => l.startsWith('HANGARFS'));
    if (!line) {
      this.deps.log.warn('workspace file program gave no answer', { projectId, exitCode: out.exitCode, stderr: out.stderr.slice(0, 500) });
      throw new HttpError(502, 'workspace_unreachable', `The project's runtime could not run the file program (exit ${out.exitCode}). Is the agent running?`, undefined, true);
    }
    const answer = JSON.parse(line.slice('HANGARFS'.length)) as { result?: unknown; error?: { code: string } };
    if (answer.error) throw fsError(answer.error.code, 'path' in req ? req.path : req.from);
    return answer.result;
  }

  private async changed(userId: string, projectId: string, changes: WorkspaceChange[]): Promise<void> {
    if (!needsAgentReload(changes.map((c) => c.path))) {
      this.deps.publish(userId, { projectId, changes, agentReloaded: false });
      return;
    }
    // The write is done: the reload (seconds while opencode shuts the old instance down) does not hold
    // the answer up; the event follows it, saying whether it happened.
    void this.reload(userId, projectId).then((agentReloaded) => this.deps.publish(userId, { projectId, changes, agentReloaded }));
  }

  /**
   * Saves in a row (a new folder, then its file) cost one reload each at most, and usually share one:
   * a reload asked for while another runs waits behind it, and later asks join the waiting one (it
   * starts after all of their files were written).
   */
  private reload(userId: string, projectId: string): Promise<boolean> {
    const waiting = this.queued.get(projectId);
    if (waiting) return waiting;
    const before = this.running.get(projectId) ?? Promise.resolve(true);
    const next = before.then(async () => {
      this.queued.delete(projectId);
      this.running.set(projectId, next);
      try {
        await reloadAgent(await this.deps.agentTarget(userId, projectId));
        return true;
      } catch (err) {
        // Not running: it reads the files when it starts.
        this.deps.log.debug('agent not reloaded after a config change', { projectId, error: err instanceof Error ? err.message : String(err) });
        return false;
      } finally {
        if (this.running.get(projectId) === next) this.running.delete(projectId);
      }
    });
    this.queued.set(projectId, next);
    return next;
  }
}
