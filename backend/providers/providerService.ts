import type {
  CustomProvider, DefaultModel, EffectiveModel, ModelChoice, ModelSummary, ProjectModelUpdate, ProviderList, ProviderSummary,
} from '../contract';
import type { Db } from '../db/database';
import type { DomainBus } from '../events/domainBus';
import { badRequest, notFound } from '../errors';
import type { ProjectService } from '../services/projects';
import type { RedirectProviderConfig } from '../config';
import { signInMethods, signInNote } from '../oauth/signInMethods';
import type { CatalogService } from './catalog';
import type { CredentialService } from './credentials';
import type { ModelsDevModel, ModelsDevProvider } from './modelsDev';

/** One provider as the user sees it: from the catalog, or one of their custom endpoints. */
type Resolved = { kind: 'catalog'; provider: ModelsDevProvider } | { kind: 'custom'; provider: CustomProvider };

/**
 * The catalog joined with what this user configured: which providers they can use, their default
 * model, each project's override, and what a project runs with in the end.
 */
export class ProviderService {
  constructor(
    private readonly db: Db,
    readonly catalog: CatalogService,
    private readonly creds: CredentialService,
    private readonly projects: ProjectService,
    /**
     * Told `model.changed` after the default (projectId null) or a project's override changed, to update
     * the running agents it affects (liveUpdate.ts); awaited, so the answer comes once they have it.
     */
    private readonly bus: DomainBus,
    /** HANGAR_OAUTH_PROVIDERS: providers that also sign in through a browser redirect. */
    private readonly redirectProviders: Readonly<Record<string, RedirectProviderConfig>> = {},
  ) {}

  async list(userId: string, opts: { q?: string; configured?: boolean } = {}): Promise<ProviderList> {
    const [{ catalog, info }, configured, customs, def] = await Promise.all([
      this.catalog.get(), this.creds.configuredIds(userId), this.creds.listCustom(userId), this.getDefault(userId),
    ]);
    const items: ProviderSummary[] = customs.map((c) => ({
      id: c.id, name: c.name, env: [], doc: null, modelCount: c.models.length, configured: true, custom: true,
      authMethods: ['api'], isDefault: def.providerId === c.id, signInNote: null,
    }));
    const customIds = new Set(customs.map((c) => c.id));
    for (const p of catalog.providers.values()) {
      if (customIds.has(p.id)) continue;
      items.push({
        id: p.id, name: p.name, env: p.env, doc: p.doc ?? null, modelCount: p.models.size, configured: configured.has(p.id), custom: false,
        authMethods: signInMethods(p.id, this.redirectProviders), isDefault: def.providerId === p.id, signInNote: signInNote(p.id),
      });
    }
    const q = opts.q?.toLowerCase();
    const filtered = items.filter((p) => (opts.configured === undefined || p.configured === opts.configured)
      && (!q || p.id.toLowerCase().includes(q) || p.name.toLowerCase().includes(q)));
    // Configured first, then by name: the picker shows what the user can use at the top.
    filtered.sort((a, b) => Number(b.configured) - Number(a.configured) || a.name.localeCompare(b.name));
    return { items: filtered, catalog: info };
  }

  async models(userId: string, providerId: string): Promise<ModelSummary[]> {
    const [resolved, def] = await Promise.all([this.resolve(userId, providerId), this.getDefault(userId)]);
    const isDefault = (id: string) => def.providerId === providerId && def.modelId === id;
    if (resolved.kind === 'custom') {
      return resolved.provider.models.map((m) => ({
        id: m.id, name: m.name, family: null, limit: { context: m.context, output: m.output },
        capabilities: { toolCall: true, reasoning: false, attachment: false, modalities: { input: ['text'], output: ['text'] } },
        cost: null, isDefault: isDefault(m.id),
      }));
    }
    return [...resolved.provider.models.values()].map((m) => toModelSummary(m, isDefault(m.id)));
  }

  async getDefault(userId: string): Promise<DefaultModel> {
    const row = await this.db.selectFrom('user_model_defaults').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return { providerId: row?.provider_id ?? null, modelId: row?.model_id ?? null };
  }

  async setDefault(userId: string, choice: ModelChoice): Promise<DefaultModel> {
    await this.requireModel(userId, choice.providerId, choice.modelId);
    const now = new Date().toISOString();
    await this.db.insertInto('user_model_defaults').values({ user_id: userId, provider_id: choice.providerId, model_id: choice.modelId, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ provider_id: choice.providerId, model_id: choice.modelId, updated_at: now })).execute();
    await this.bus.emit('model.changed', { userId, projectId: null });
    return this.getDefault(userId);
  }

  /** A project's override; providerId null = the user's default (and modelId must be null too). */
  async setProjectModel(userId: string, projectId: string, choice: ProjectModelUpdate): Promise<EffectiveModel> {
    await this.projects.ownedRow(userId, projectId);
    if (choice.providerId === null && choice.modelId !== null) throw badRequest('invalid_model', 'A model needs its provider; send both, or both null for the default.');
    if (choice.providerId !== null) {
      if (choice.modelId !== null) await this.requireModel(userId, choice.providerId, choice.modelId);
      else await this.resolve(userId, choice.providerId);
    }
    const now = new Date().toISOString();
    if (choice.modelId === null) await this.db.deleteFrom('project_models').where('project_id', '=', projectId).execute();
    else {
      await this.db.insertInto('project_models').values({ project_id: projectId, model_id: choice.modelId, updated_at: now })
        .onConflict((oc) => oc.column('project_id').doUpdateSet({ model_id: choice.modelId!, updated_at: now })).execute();
    }
    await this.projects.update(userId, projectId, { providerOverride: choice.providerId });
    await this.bus.emit('model.changed', { userId, projectId });
    return this.effective(userId, projectId);
  }

  /** What the project runs with: its override, else the user's default. */
  async effective(userId: string, projectId: string): Promise<EffectiveModel> {
    const row = await this.projects.ownedRow(userId, projectId);
    const [def, configured, pm] = await Promise.all([
      this.getDefault(userId), this.creds.configuredIds(userId),
      this.db.selectFrom('project_models').select('model_id').where('project_id', '=', projectId).executeTakeFirst(),
    ]);
    if (row.provider_override) {
      const modelId = pm?.model_id ?? (def.providerId === row.provider_override ? def.modelId : await this.firstModel(userId, row.provider_override));
      return { providerId: row.provider_override, modelId, source: 'project', configured: configured.has(row.provider_override) };
    }
    if (def.providerId) return { providerId: def.providerId, modelId: def.modelId, source: 'user-default', configured: configured.has(def.providerId) };
    return { providerId: null, modelId: null, source: 'none', configured: false };
  }

  async resolve(userId: string, providerId: string): Promise<Resolved> {
    const custom = await this.creds.custom(userId, providerId);
    if (custom) return { kind: 'custom', provider: custom };
    const { catalog } = await this.catalog.get();
    const provider = catalog.providers.get(providerId);
    if (!provider) throw notFound(`Provider "${providerId}"`);
    return { kind: 'catalog', provider };
  }

  private async requireModel(userId: string, providerId: string, modelId: string): Promise<void> {
    const r = await this.resolve(userId, providerId);
    const known = r.kind === 'custom' ? r.provider.models.some((m) => m.id === modelId) : r.provider.models.has(modelId);
    if (!known) throw notFound(`Model "${modelId}" of provider "${providerId}"`);
  }

  /** A custom provider's first model; for a catalog provider opencode picks (and no catalog fetch happens at deploy). */
  private async firstModel(userId: string, providerId: string): Promise<string | null> {
    return (await this.creds.custom(userId, providerId))?.models[0]?.id ?? null;
  }
}

function toModelSummary(m: ModelsDevModel, isDefault: boolean): ModelSummary {
  return {
    id: m.id, name: m.name, family: m.family ?? null,
    limit: { context: m.limit?.context ?? null, output: m.limit?.output ?? null },
    capabilities: {
      toolCall: m.tool_call ?? false, reasoning: m.reasoning ?? false, attachment: m.attachment ?? false,
      modalities: { input: m.modalities?.input ?? ['text'], output: m.modalities?.output ?? ['text'] },
    },
    cost: m.cost
      ? { input: m.cost.input ?? null, output: m.cost.output ?? null, cacheRead: m.cost.cache_read ?? null, cacheWrite: m.cost.cache_write ?? null }
      : null,
    isDefault,
  };
}
