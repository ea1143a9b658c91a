import { REDEPLOY_NOTE } from '../contract';
import type { EventHub } from '../events/eventHub';
import type { Logger } from '../logger';
import type { ProjectService } from '../services/projects';
import type { CredentialService } from './credentials';
import type { ProviderInjection } from './injection';
import type { ProviderService } from './providerService';
import { agentPermission, agentPolicy, type AgentPermissionSource } from '../settings/agentPermissions';
import { policyViolations, type AgentRule } from '../settings/permissionPolicy';

export interface SyncReport {
  updated: string[];
  failed: { projectId: string; error: string }[];
}

export { REDEPLOY_NOTE };

/** The runtime note while a workspace permission rule still beats Hangar's policy. */
export const POLICY_NOTE = 'Permissions: ';

/** One agent's answer to the change: applied, or why only a redeploy applies it. */
interface Applied { providerId: string | null; modelId: string | null; needsRedeploy: string | null }

/**
 * Hands a project's provider to its running agent through opencode's own API, so a new default, a
 * project override, a new or deleted key reach it without a redeploy (docs/opencode.md):
 * PUT /auth/:id (or DELETE when there is none), then PATCH /global/config with the provider and
 * model (opencode writes it to $XDG_CONFIG_HOME/opencode/opencode.jsonc, in the agent's own home),
 * then POST /instance/dispose so the next request reloads both. Then GET /config/providers tells whether the agent really has the
 * model: an agent deployed by an older Hangar has its provider pinned in OPENCODE_CONFIG_CONTENT,
 * which wins over any config file, and only a redeploy changes it. Either way the owner gets an
 * `agent.config` event: the chat reloads its model list, or says a redeploy is needed.
 *
 * Done every time the agent becomes healthy (deploy, start, restart) and after every change.
 *
 * Why not OPENCODE_AUTH_CONTENT: opencode 1.18.33 reads that variable instead of auth.json when it
 * is set, so a key given that way can never be changed or removed while the process runs.
 */
export class CredentialSync {
  constructor(
    private readonly projects: ProjectService,
    private readonly providers: ProviderService,
    private readonly creds: CredentialService,
    private readonly injection: ProviderInjection,
    private readonly hub: EventHub,
    private readonly log: Logger,
    /**
     * OpenCode permissions travel the same way (backend/settings): the `permission` key joins the same
     * PATCH /global/config, so a change reaches a running agent at its next tool call (after the dispose).
     */
    private readonly permissions?: AgentPermissionSource,
    // The reload after PATCH /global/config takes seconds on a busy machine (7.5 s measured at load 20).
    private readonly timeoutMs = 30_000,
  ) {}

  /** A credential or custom provider changed: every running agent that uses that provider. */
  providerChanged(userId: string, providerId: string): Promise<SyncReport> {
    return this.each(userId, async (projectId) => (await this.providers.effective(userId, projectId)).providerId === providerId);
  }

  /** The user's default changed: every running agent that follows the default. */
  defaultChanged(userId: string): Promise<SyncReport> {
    return this.each(userId, async (projectId) => (await this.providers.effective(userId, projectId)).source !== 'project');
  }

  /** One project's override changed. */
  projectChanged(userId: string, projectId: string): Promise<SyncReport> {
    return this.each(userId, (id) => Promise.resolve(id === projectId));
  }

  /** A user's default permissions (projectId null) or a project's override changed. */
  permissionsChanged(userId: string, projectId: string | null): Promise<SyncReport> {
    return this.each(userId, (id) => Promise.resolve(projectId === null || id === projectId));
  }

  /** After the agent became healthy; throws so that a deploy does not end "running" without its credential. */
  async pushProject(projectId: string, agentUrl: string): Promise<void> {
    try {
      await this.apply(projectId, agentUrl);
    } catch (err) {
      throw new Error(`could not hand the provider to opencode: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  private async each(userId: string, affected: (projectId: string) => Promise<boolean>): Promise<SyncReport> {
    const report: SyncReport = { updated: [], failed: [] };
    const running = (await this.projects.list(userId)).filter((p) => p.status === 'running' && p.urls.agent);
    // In parallel: each agent reloads on its own, and the chat waits for its own project only.
    await Promise.all(running.map(async (project) => {
      if (!(await affected(project.id))) return;
      try {
        await this.apply(project.id, project.urls.agent!);
        report.updated.push(project.id);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        report.failed.push({ projectId: project.id, error });
        this.log.warn('could not update a running agent with the changed provider; it applies at its next start', { projectId: project.id, error });
      }
    }));
    return report;
  }

  private async apply(projectId: string, agentUrl: string): Promise<Applied | undefined> {
    const target = await this.injection.configFor(projectId);
    if (!target) return undefined;
    const { userId, providerId, modelId, config } = target;
    const permissions = await this.permissions?.forProject(projectId);
    const reset = this.permissions?.resetConfig;
    // No provider: the agent keeps the provider it has (opencode's config API cannot remove keys).
    if ((!providerId || !config) && !permissions) return undefined;
    const { opencodePassword } = await this.projects.secrets(projectId);
    const headers = { Authorization: 'Basic ' + Buffer.from(`opencode:${opencodePassword}`).toString('base64'), 'Content-Type': 'application/json' };
    const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
      const res = await fetch(`${agentUrl}${path}`, {
        method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!res.ok) {
        await res.body?.cancel();
        throw new Error(`${method} ${path.replace(/\/auth\/.*/, '/auth')} answered ${res.status}`);
      }
      return res;
    };
    if (providerId && config) {
      const auth = await this.creds.authFor(userId, providerId);
      await (await call(auth ? 'PUT' : 'DELETE', `/auth/${encodeURIComponent(providerId)}`, auth)).body?.cancel();
    }
    const permission = permissions && reset ? await agentPermission(call, permissions, () => reset(projectId)) : undefined;
    // Writes the agent's global config (disposing its instances when the config changed); the dispose
    // after it also covers a config that did not change, so a new key alone is reloaded too.
    await (await call('PATCH', '/global/config', { ...config, ...(permission ? { permission } : {}) })).body?.cancel();
    // The global config loses to the workspace's opencode.json: the policy file is read after it.
    const policy = permissions && this.permissions ? await agentPolicy(call, permissions) : undefined;
    if (policy) await this.permissions!.writePolicy(projectId, policy);
    await (await call('POST', '/instance/dispose')).body?.cancel();
    // Not awaited: GET /agent waits for the reload, and the change is already in the agent.
    if (policy) {
      void this.checkPolicy(projectId, call, policy.permission).catch((err: unknown) => {
        this.log.warn('could not check the agent\'s permissions after the reload', { projectId, error: String(err) });
      });
    }
    if (!providerId || !config) return undefined;
    const seen = await (await call('GET', '/config/providers')).json() as { providers?: { id?: string; models?: Record<string, unknown> }[] };
    const provider = seen.providers?.find((p) => p.id === providerId);
    const missing = !provider ? `the agent still runs with the provider it was deployed with, not ${providerId}`
      : modelId && !(provider.models && modelId in provider.models) ? `the agent has no model ${modelId} of ${providerId}` : null;
    const result: Applied = { providerId, modelId, needsRedeploy: missing };
    await this.noteRedeploy(projectId, missing);
    this.hub.publish(userId, 'agent.config', { projectId, providerId, modelId, applied: !missing, needsRedeploy: missing });
    return result;
  }

  /** After the reload: a workspace rule that still beats the policy is logged and shown in the project's notes. */
  private async checkPolicy(projectId: string, call: (m: string, p: string) => Promise<Response>,
    permission: Record<string, unknown>): Promise<void> {
    const agents = await (await call('GET', '/agent')).json() as { name: string; permission: AgentRule[] }[];
    const found = policyViolations(agents, permission);
    if (found.length) this.log.warn('a workspace permission rule beats Hangar\'s', { projectId, rules: found.slice(0, 5) });
    await this.replaceNote(projectId, POLICY_NOTE, found.length
      ? `${POLICY_NOTE}the workspace's opencode config orders a rule after Hangar's: ${found.slice(0, 3).join('; ')}.` : null);
  }

  /** The row says so while a redeploy is needed (a deploy resets the notes, and applies again). */
  private noteRedeploy(projectId: string, why: string | null): Promise<void> {
    return this.replaceNote(projectId, REDEPLOY_NOTE, why ? `${REDEPLOY_NOTE}${why}.` : null);
  }

  /** Replaces the project's runtime note that starts with `prefix` (null: removes it). */
  private async replaceNote(projectId: string, prefix: string, note: string | null): Promise<void> {
    const row = await this.projects.rowById(projectId);
    if (!row) return;
    const notes = (JSON.parse(row.runtime_notes || '[]') as string[]).filter((n) => !n.startsWith(prefix));
    if (note) notes.push(note);
    if (JSON.stringify(notes) !== row.runtime_notes) await this.projects.applyRuntime(projectId, { runtimeNotes: notes });
  }
}
