import type { CustomProvider } from '../contract';
import type { ProjectService } from '../services/projects';
import type { CredentialService } from './credentials';
import type { ProviderService } from './providerService';

/**
 * opencode's config (OPENCODE_CONFIG_CONTENT) for one provider and model. A custom provider's key
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

/**
 * The provider part of a project's agent environment: OPENCODE_CONFIG_CONTENT naming the effective
 * provider and model (no secret in it). The credential itself goes through opencode's API once the
 * agent is healthy (liveUpdate.ts), one provider's only, never all of its owner's.
 */
export class ProviderInjection {
  constructor(
    private readonly projects: ProjectService,
    private readonly providers: ProviderService,
    private readonly creds: CredentialService,
  ) {}

  async envFor(projectId: string): Promise<Record<string, string>> {
    const row = await this.projects.rowById(projectId);
    if (!row) return {};
    const eff = await this.providers.effective(row.owner_id, projectId);
    const custom = eff.providerId ? await this.creds.custom(row.owner_id, eff.providerId) : undefined;
    return { OPENCODE_CONFIG_CONTENT: JSON.stringify(opencodeConfig(eff.providerId, eff.modelId, custom)) };
  }
}
