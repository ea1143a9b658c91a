import type { FeatureManifest } from '../core/feature';
import type { SyncFeature } from './syncFeature';

export const SYNC_COMMANDS = [
  'hangar.push', 'hangar.pull', 'hangar.fetch', 'hangar.forcePush', 'hangar.showCommits', 'hangar.openOnGithub',
  'hangar.openConflicts', 'hangar.syncMenu', 'hangar.setGithubToken', 'hangar.importFromGithub', 'hangar.retryImport',
] as const;

/** Loads once a server answers: the status bar shows the focused project's sync state. */
export const syncManifest: FeatureManifest<SyncFeature> = {
  id: 'sync',
  commands: SYNC_COMMANDS,
  loadOn: 'connected',
  load: async () => (await import('./syncFeature')).createSyncFeature,
};
