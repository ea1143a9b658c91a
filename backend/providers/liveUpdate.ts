import type { Logger } from '../logger';
import type { ProjectService } from '../services/projects';
import type { CredentialService } from './credentials';
import type { ProviderService } from './providerService';

export interface SyncReport {
  updated: string[];
  failed: { projectId: string; error: string }[];
}

/**
 * Hands a project's provider credential to its agent through opencode's own API: PUT /auth/:id (or
 * DELETE when there is none), then POST /instance/dispose so opencode reloads it (docs/opencode.md).
 * Done every time the agent becomes healthy (deploy, start, restart) and whenever the credential
 * changes, so a running agent follows a new or deleted key without a redeploy.
 *
 * Why not OPENCODE_AUTH_CONTENT: opencode 1.18.33 reads that variable instead of auth.json when it
 * is set, so a key given that way can never be changed or removed while the process runs (the
 * live-update test proved it: after PUT /auth and dispose the old key was still sent).
 */
export class CredentialSync {
  constructor(
    private readonly projects: ProjectService,
    private readonly providers: ProviderService,
    private readonly creds: CredentialService,
    private readonly log: Logger,
    private readonly timeoutMs = 5000,
  ) {}

  async providerChanged(userId: string, providerId: string): Promise<SyncReport> {
    const report: SyncReport = { updated: [], failed: [] };
    for (const project of await this.projects.list(userId)) {
      if (project.status !== 'running' || !project.urls.agent) continue;
      const eff = await this.providers.effective(userId, project.id);
      if (eff.providerId !== providerId) continue;
      try {
        await this.push(project.id, project.urls.agent, userId, providerId);
        report.updated.push(project.id);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        report.failed.push({ projectId: project.id, error });
        this.log.warn('could not update a running agent with the changed credential; it applies at its next start', { projectId: project.id, providerId, error });
      }
    }
    return report;
  }

  /** After the agent became healthy; throws so that a deploy does not end "running" without its credential. */
  async pushProject(projectId: string, agentUrl: string): Promise<void> {
    const row = await this.projects.rowById(projectId);
    if (!row) return;
    const eff = await this.providers.effective(row.owner_id, projectId);
    if (!eff.providerId) return;
    try {
      await this.push(projectId, agentUrl, row.owner_id, eff.providerId);
    } catch (err) {
      throw new Error(`could not hand the ${eff.providerId} credential to opencode: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  private async push(projectId: string, agentUrl: string, userId: string, providerId: string): Promise<void> {
    const { opencodePassword } = await this.projects.secrets(projectId);
    const headers = { Authorization: 'Basic ' + Buffer.from(`opencode:${opencodePassword}`).toString('base64'), 'Content-Type': 'application/json' };
    const auth = await this.creds.authFor(userId, providerId);
    const url = `${agentUrl}/auth/${encodeURIComponent(providerId)}`;
    const res = auth
      ? await fetch(url, { method: 'PUT', headers, body: JSON.stringify(auth), signal: AbortSignal.timeout(this.timeoutMs) })
      : await fetch(url, { method: 'DELETE', headers, signal: AbortSignal.timeout(this.timeoutMs) });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`${auth ? 'PUT' : 'DELETE'} /auth answered ${res.status}`);
    const disposed = await fetch(`${agentUrl}/instance/dispose`, { method: 'POST', headers, signal: AbortSignal.timeout(this.timeoutMs) });
    await disposed.body?.cancel();
    if (!disposed.ok) throw new Error(`POST /instance/dispose answered ${disposed.status}`);
  }
}
