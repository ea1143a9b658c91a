import type { NotificationWebhooks } from '../activity/notificationWebhooks';
import type { ServerSettings, ServerSettingsUpdate } from '../contract';
import type { Db } from '../db/database';
import type { CredentialService } from '../providers/credentials';
import type { ProviderService } from '../providers/providerService';
import type { GithubCredentials } from '../sync/githubCredentials';
import type { PermissionService } from './permissionService';

/**
 * Every server-side user setting behind one API (GET/PUT /api/settings): each section is kept by
 * the service that owns it (providers, permissions, notifications, GitHub); this reads them as one
 * document and hands each changed section to its owner, which applies it at once (running agents
 * included: a new default model or permissions reach them through liveUpdate.ts).
 */
export class SettingsService {
  constructor(
    private readonly db: Db,
    private readonly providers: ProviderService,
    private readonly credentials: CredentialService,
    private readonly permissions: PermissionService,
    private readonly notifications: NotificationWebhooks,
    private readonly github: GithubCredentials,
  ) {}

  async get(userId: string): Promise<ServerSettings> {
    const [def, permissions, hook, customs, gh, row] = await Promise.all([
      this.providers.getDefault(userId), this.permissions.userDefault(userId), this.notifications.get(userId),
      this.credentials.listCustom(userId), this.github.info(userId),
      this.db.selectFrom('user_settings').select('sync_pull_mode').where('user_id', '=', userId).executeTakeFirst(),
    ]);
    return {
      defaultModel: def.providerId && def.modelId ? { providerId: def.providerId, modelId: def.modelId } : null,
      permissions,
      notificationWebhook: hook ? { url: hook.url, kinds: hook.kinds } : null,
      customProviders: customs.map((c) => ({
        id: c.id, name: c.name, baseURL: c.baseURL,
        models: c.models.map((m) => ({ id: m.id, name: m.name, context: m.context, output: m.output })),
      })),
      github: { hosts: gh.hosts.map((h) => h.host) },
      sync: { pullMode: row?.sync_pull_mode ?? 'merge' },
    };
  }

  /** Applies the sections given, in order; each owner validates its own (an unknown model is a 404). */
  async update(userId: string, patch: ServerSettingsUpdate): Promise<ServerSettings> {
    if (patch.defaultModel !== undefined) {
      if (patch.defaultModel) await this.providers.setDefault(userId, patch.defaultModel);
      // No default: running agents keep the provider they have (opencode's config cannot drop one).
      else await this.db.deleteFrom('user_model_defaults').where('user_id', '=', userId).execute();
    }
    if (patch.permissions) await this.permissions.setUserDefault(userId, patch.permissions);
    if (patch.notificationWebhook !== undefined) {
      if (patch.notificationWebhook) await this.notifications.put(userId, patch.notificationWebhook);
      else await this.notifications.remove(userId);
    }
    if (patch.sync) await this.setPullMode(userId, patch.sync.pullMode);
    return this.get(userId);
  }

  private async setPullMode(userId: string, mode: 'merge' | 'rebase'): Promise<void> {
    const now = new Date().toISOString();
    await this.db.insertInto('user_settings').values({ user_id: userId, permissions: '{}', sync_pull_mode: mode, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ sync_pull_mode: mode, updated_at: now })).execute();
  }
}
