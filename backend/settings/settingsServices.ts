import type { NotificationWebhooks } from '../activity/notificationWebhooks';
import type { Db } from '../db/database';
import type { CredentialService } from '../providers/credentials';
import type { CredentialSync } from '../providers/liveUpdate';
import type { ProviderService } from '../providers/providerService';
import type { Lifecycle } from '../runtime/lifecycle';
import type { ProjectService } from '../services/projects';
import type { GithubCredentials } from '../sync/githubCredentials';
import { driverConfigReset } from './agentPermissions';
import { PermissionService } from './permissionService';
import { SettingsService } from './settingsService';
import { SettingsTransfer } from './settingsTransfer';
import type { PrivateHostGuard } from '../providers/urlGuard';

export interface SettingsDeps {
  db: Db;
  projects: ProjectService;
  providers: ProviderService;
  credentials: CredentialService;
  notifications: NotificationWebhooks;
  github: GithubCredentials;
  lifecycle: Lifecycle;
  urlGuard: PrivateHostGuard;
  /** The agent config writer (liveUpdate.ts): permissions join the provider config it pushes. */
  agentSync: CredentialSync;
}

/** What the routes of backend/routes/settings.ts use. */
export interface SettingsServices {
  permissions: PermissionService;
  store: SettingsService;
  transfer: SettingsTransfer;
}

/** Builds the settings services and connects them to the agent config writer. */
export function createSettings(d: SettingsDeps): SettingsServices {
  const permissions = new PermissionService(d.db, d.projects);
  d.agentSync.permissions = permissions;
  d.agentSync.resetConfig = driverConfigReset((id) => d.lifecycle.driverFor(id));
  permissions.onChange = (userId, projectId) => d.agentSync.permissionsChanged(userId, projectId);
  const store = new SettingsService(d.db, d.providers, d.credentials, permissions, d.notifications, d.github);
  const transfer = new SettingsTransfer({ ...d, settings: store });
  return { permissions, store, transfer };
}
