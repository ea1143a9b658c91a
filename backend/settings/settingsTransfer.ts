import type { NotificationWebhooks } from '../activity/notificationWebhooks';
import {
  SETTINGS_FORMAT, SETTINGS_VERSION, type ImportPreview, type ImportReport, type ServerSettings, type SettingsExport,
  type SettingsSecrets,
} from '../contract';
import { badRequest, conflict, HttpError } from '../errors';
import type { CredentialService, OpencodeAuth } from '../providers/credentials';
import type { ProviderService } from '../providers/providerService';
import type { PrivateHostGuard } from '../providers/urlGuard';
import type { GithubCredentials } from '../sync/githubCredentials';
import { planChanges, validateFile, type CurrentState } from './importPlan';
import { openSecrets, sealSecrets } from './secretsEnvelope';
import type { SettingsService } from './settingsService';

export interface TransferDeps {
  settings: SettingsService;
  providers: ProviderService;
  credentials: CredentialService;
  notifications: NotificationWebhooks;
  github: GithubCredentials;
  urlGuard: PrivateHostGuard;
}

/**
 * Settings export and import as one versioned JSON file (contract/settings.ts SettingsExport).
 * Secrets leave the server only when asked for, and then only sealed with the user's passphrase
 * (secretsEnvelope.ts); the extension never sees them in clear. An import checks the whole file
 * (and opens its secrets) before it changes anything, applies every item in a fixed order, and if
 * one fails puts back what was there before, so it is all or nothing.
 */
export class SettingsTransfer {
  constructor(private readonly d: TransferDeps) {}

  async export(userId: string, opts: { includeSecrets: boolean; passphrase?: string | undefined }): Promise<SettingsExport> {
    if (opts.includeSecrets && !opts.passphrase) {
      throw badRequest('passphrase_required', 'Secrets are exported only encrypted: give a passphrase of at least 12 characters.');
    }
    const now = await this.current(userId, opts.includeSecrets);
    return {
      format: SETTINGS_FORMAT, version: SETTINGS_VERSION, exportedAt: new Date().toISOString(), server: now.settings,
      ...(opts.includeSecrets && opts.passphrase ? { secrets: await sealSecrets(now.secrets, opts.passphrase) } : {}),
    };
  }

  async preview(userId: string, raw: unknown, passphrase: string | undefined): Promise<ImportPreview> {
    const { file, secrets } = await this.read(raw, passphrase);
    return { changes: planChanges(await this.current(userId, !!secrets), file, secrets), secretsIncluded: !!secrets };
  }

  async import(userId: string, raw: unknown, passphrase: string | undefined): Promise<ImportReport> {
    const { file, secrets } = await this.read(raw, passphrase);
    const before = await this.current(userId, true);
    const changes = planChanges(before, file, secrets);
    try {
      await this.apply(userId, file.server, secrets, before);
    } catch (err) {
      await this.apply(userId, before.settings, before.secrets, await this.current(userId, true)).catch(() => undefined);
      await this.dropAdded(userId, before, file, secrets).catch(() => undefined);
      const why = err instanceof HttpError && err.expose ? err.message : 'an unexpected error';
      throw conflict('import_failed', `Nothing was imported: ${why}`, { reason: err instanceof HttpError ? err.code : 'error' });
    }
    return {
      items: changes.map((c) => ({
        item: c.item, outcome: c.change === 'same' ? 'unchanged' as const : 'applied' as const,
        detail: c.change === 'same' ? null : c.change,
      })),
    };
  }

  private async read(raw: unknown, passphrase: string | undefined): Promise<{ file: SettingsExport; secrets?: SettingsSecrets }> {
    const file = validateFile(raw);
    if (!file.secrets) return { file };
    if (!passphrase) throw badRequest('passphrase_required', 'This file carries encrypted secrets: give its passphrase.');
    return { file, secrets: await openSecrets(file.secrets, passphrase) };
  }

  private async current(userId: string, withSecrets: boolean): Promise<CurrentState> {
    const settings = await this.d.settings.get(userId);
    const secrets: SettingsSecrets = { providers: {}, github: {}, notificationWebhookSecret: null };
    if (!withSecrets) return { settings, secrets };
    for (const meta of await this.d.credentials.list(userId)) {
      const auth = await this.d.credentials.peek(userId, meta.providerId);
      if (auth) secrets.providers[meta.providerId] = auth;
    }
    for (const host of settings.github.hosts) {
      const token = await this.d.github.tokenFor(userId, host);
      if (token) secrets.github[host] = token;
    }
    secrets.notificationWebhookSecret = await this.d.notifications.secret(userId);
    return { settings, secrets };
  }

  /** In dependency order: providers before the default model that may name one. */
  private async apply(userId: string, s: ServerSettings, secrets: SettingsSecrets | undefined, now: CurrentState): Promise<void> {
    const { catalog } = await this.d.providers.catalog.get();
    for (const p of s.customProviders) {
      if (JSON.stringify(now.settings.customProviders.find((c) => c.id === p.id)) === JSON.stringify(p)) continue;
      if (catalog.providers.has(p.id)) throw conflict('provider_exists', `customProviders.${p.id}: "${p.id}" is a catalog provider.`);
      await this.d.urlGuard.check(p.baseURL, 'allow');
      await this.d.credentials.saveCustom(userId, p);
    }
    for (const [id, auth] of Object.entries(secrets?.providers ?? {})) {
      if (JSON.stringify(now.secrets.providers[id]) === JSON.stringify(auth)) continue;
      await this.d.providers.resolve(userId, id);
      if (auth.type === 'api') await this.d.credentials.setApiKey(userId, id, auth.key);
      else await this.d.credentials.setOAuth(userId, id, auth as Extract<OpencodeAuth, { type: 'oauth' }>);
    }
    await this.d.settings.update(userId, {
      defaultModel: s.defaultModel, permissions: s.permissions, notificationWebhook: s.notificationWebhook, sync: s.sync,
    });
    if (s.notificationWebhook && secrets && secrets.notificationWebhookSecret !== now.secrets.notificationWebhookSecret) {
      await this.d.notifications.put(userId, { ...s.notificationWebhook, secret: secrets.notificationWebhookSecret });
    }
    for (const [host, token] of Object.entries(secrets?.github ?? {})) {
      if (now.secrets.github[host] !== token) await this.d.github.set(userId, token, host);
    }
  }

  /** After a failed import: what it added where nothing was before goes again. */
  private async dropAdded(userId: string, before: CurrentState, file: SettingsExport, secrets: SettingsSecrets | undefined): Promise<void> {
    for (const p of file.server.customProviders) {
      if (!before.settings.customProviders.some((c) => c.id === p.id)) await this.d.credentials.removeCustom(userId, p.id).catch(() => undefined);
    }
    for (const id of Object.keys(secrets?.providers ?? {})) {
      if (!before.secrets.providers[id]) await this.d.credentials.remove(userId, id).catch(() => undefined);
    }
    for (const host of Object.keys(secrets?.github ?? {})) {
      if (!before.secrets.github[host]) await this.d.github.remove(userId, host).catch(() => undefined);
    }
  }
}
