import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DeploySpec, Progress } from '../driver';
import type { CgroupLimiter } from './cgroups';
import { projectPaths, type ProjectPaths } from './paths';
import { procStartTime, writeRecord } from './processes';
import type { ProcessWatcher } from './processWatcher';
import type { Sandbox } from './sandbox';
import type { SpecStore } from './storedSpec';
import type { ClaimedAgent, LocalWarmPool } from './warmPool';

export interface ClaimDeps {
  root: string;
  pool: LocalWarmPool;
  cgroups: CgroupLimiter;
  sandbox: Sandbox;
  specs: SpecStore;
  watcher: ProcessWatcher;
}

/**
 * Binds a warm-pool agent to a project that never ran on this runtime: its folders become the
 * project's (the project's workspace files, if any, moved in first), its tier's limits are applied
 * to the running process, its plugin learns the project's webhook target, and the project adopts
 * the agent's password. Undefined when the pool cannot serve this deploy: the caller starts cold.
 */
export function claimWarmAgent(
  deps: ClaimDeps, spec: DeploySpec, progress: Progress,
): { password: string } | undefined {
  const { tier } = spec;
  if (tier.imageType === 'desktop' || tier.hasDesktopAccess) return undefined;
  if (!deps.pool.fits(spec.env)) return undefined;
  const p = projectPaths(deps.root, spec.projectId);
  if (!onlyWorkspace(p)) return undefined;
  const secret = spec.env.HANGAR_WEBHOOK_SECRET;
  if (!secret) return undefined;
  const agent = deps.pool.claim(spec.projectId, { url: spec.env.HANGAR_WEBHOOK_URL, secret });
  if (!agent) {
    progress('The warm pool has no agent ready: starting one');
    return undefined;
  }
  moveIntoProject(agent, p);
  const { groups, notes } = deps.cgroups.prepare(spec.projectId, tier);
  notes.push(...deps.cgroups.join(groups, agent.pid));
  notes.push(`storage limit ${tier.storageGb} GB not enforced: the local runtime has no disk quota`);
  if (deps.sandbox.note) notes.push(deps.sandbox.note);
  const env = { ...spec.env, OPENCODE_SERVER_PASSWORD: agent.password };
  deps.specs.write(spec.projectId, { slug: spec.slug, tier, env });
  writeRecord(p.runtimeFile, {
    v: 1, state: 'running', pid: agent.pid, port: agent.port, instanceId: randomUUID(),
    startedAt: new Date().toISOString(), procStart: procStartTime(agent.pid), notes,
  });
  deps.watcher.track(spec.projectId, agent.pid);
  progress(`Claimed a warm agent from the pool (pid ${agent.pid}, port ${agent.port}); `
    + 'the pool refills in the background');
  return { password: agent.password };
}

/** The project's folder holds nothing but (maybe) a workspace: it never ran here, or was removed keeping its files. */
function onlyWorkspace(p: ProjectPaths): boolean {
  if (!fs.existsSync(p.root)) return true;
  return fs.readdirSync(p.root).every((name) => path.join(p.root, name) === p.workspace);
}

/**
 * The pooled folders become the project's by rename (the sandbox bound them when the agent
 * started, and a bind follows the folder); the pool path is left as a link to the project, for
 * the paths in the agent's environment when it runs unsandboxed.
 */
function moveIntoProject(agent: ClaimedAgent, p: ProjectPaths): void {
  if (fs.existsSync(p.workspace)) {
    const mine = fs.readdirSync(p.workspace);
    if (mine.includes('.git')) fs.rmSync(path.join(agent.paths.workspace, '.git'), { recursive: true, force: true });
    for (const name of mine) fs.renameSync(path.join(p.workspace, name), path.join(agent.paths.workspace, name));
  }
  fs.rmSync(p.root, { recursive: true, force: true });
  fs.renameSync(agent.paths.root, p.root);
  fs.symlinkSync(p.root, agent.paths.root);
}
