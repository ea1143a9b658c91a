import type { CustomProvider } from '../contract';
import type { ProjectService } from '../services/projects';
import type { CredentialService } from './credentials';
import type { ProviderService } from './providerService';

/**
 * opencode's config for one provider and model, as Hangar writes it into the agent's global config
 * ($XDG_CONFIG_HOME/opencode/opencode.jsonc) through PATCH /global/config (liveUpdate.ts). A custom provider's key
 * is not in here: opencode applies its auth store to config-defined providers too (verified against
 * 1.18.33 by test/integration/providers/injection.test.ts), so every secret travels one way.
 */
export function opencodeConfig(providerId: string | null, modelId: string | null, custom?: CustomProvider): Record<string, unknown> {
  const config: Record<string, unknown> = { share: 'disabled', autoupdate: false };
  if (!providerId) return config;
  config.enabled_providers = [providerId];
  if (modelId) {
    config.model = `${providerId}/${modelId}`;
    config.small_model = `${providerId}/${modelId}`;
  }
  if (custom) {
    config.provider = {
      [providerId]: {
        npm: '@ai-sdk/openai-compatible',
        name: custom.name,
        options: { baseURL: custom.baseURL },
        models: Object.fromEntries(custom.models.map((m) => [m.id, { name: m.name, tool_call: true, limit: { context: m.context, output: m.output } }])),
      },
    };
  }
  return config;
}

/** What every agent starts with in OPENCODE_CONFIG_CONTENT: nothing about providers (see envFor). */
export const BASE_AGENT_CONFIG = { share: 'disabled', autoupdate: false } as const;

/**
 * The provider part of a project's agent: its environment at deploy, and the config that names the
 * effective provider and model (no secret in it). That config is not in the environment:
 * OPENCODE_CONFIG_CONTENT is merged last and cannot change while the process runs, so a provider
 * named there could never follow a new default. It goes through opencode's PATCH /global/config
 * instead (liveUpdate.ts), once the agent is healthy and after every change; the credential through
 * PUT /auth, one provider's only, never all of its owner's.
 */
export class ProviderInjection {
  constructor(
    private readonly projects: ProjectService,
    private readonly providers: ProviderService,
    private readonly creds: CredentialService,
  ) {}

  envFor(): Promise<Record<string, string>> {
    return Promise.resolve({ OPENCODE_CONFIG_CONTENT: JSON.stringify(BASE_AGENT_CONFIG) });
  }

  /** The effective provider and model of a project, and opencode's config for it (null: no provider). */
  async configFor(projectId: string): Promise<{ userId: string; providerId: string | null; modelId: string | null; config: Record<string, unknown> | null } | undefined> {
    const row = await this.projects.rowById(projectId);
    if (!row) return undefined;
    const eff = await this.providers.effective(row.owner_id, projectId);
    if (!eff.providerId) return { userId: row.owner_id, providerId: null, modelId: null, config: null };
    const custom = await this.creds.custom(row.owner_id, eff.providerId);
    return { userId: row.owner_id, providerId: eff.providerId, modelId: eff.modelId, config: opencodeConfig(eff.providerId, eff.modelId, custom) };
  }
}
