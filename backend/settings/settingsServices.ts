import type { NotificationWebhooks } from '../activity/notificationWebhooks';
import type { Db } from '../db/database';
import type { CredentialService } from '../providers/credentials';
import type { ProviderService } from '../providers/providerService';
import type { PrivateHostGuard } from '../providers/urlGuard';
import type { Lifecycle } from '../runtime/lifecycle';
import type { GithubCredentials } from '../sync/githubCredentials';
import { driverConfigReset, driverPolicyWriter, type AgentPermissionSource } from './agentPermissions';
import type { PermissionService } from './permissionService';
import { SettingsService } from './settingsService';
import { SettingsTransfer } from './settingsTransfer';

/** What the agent config writer (liveUpdate.ts) gets: each project's permissions, and the reset through its driver. */
export function agentPermissionSource(permissions: PermissionService, lifecycle: Lifecycle): AgentPermissionSource {
  const driverFor = (id: string) => lifecycle.driverFor(id);
  return {
    forProject: (id) => permissions.forProject(id),
    resetConfig: driverConfigReset(driverFor),
    writePolicy: driverPolicyWriter(driverFor),
  };
}

export interface SettingsDeps {
  db: Db;
  permissions: PermissionService;
  providers: ProviderService;
  credentials: CredentialService;
  notifications: NotificationWebhooks;
  github: GithubCredentials;
  urlGuard: PrivateHostGuard;
}

/** What the routes of backend/routes/settings.ts use. */
export interface SettingsServices {
  permissions: PermissionService;
  store: SettingsService;
  transfer: SettingsTransfer;
}

export function createSettings(d: SettingsDeps): SettingsServices {
  const store = new SettingsService(d.db, d.providers, d.credentials, d.permissions, d.notifications, d.github);
  return { permissions: d.permissions, store, transfer: new SettingsTransfer({ ...d, settings: store }) };
}
