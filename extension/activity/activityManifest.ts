import { VIEW_IDS } from '../core/commandIds';
import type { FeatureManifest } from '../core/feature';
import type { ActivityFeature } from './activityFeature';

export const ACTIVITY_COMMANDS = [
  'hangar.openSession',
  'hangar.configureNotificationWebhook', 'hangar.showNotificationDeliveries',
] as const;

/** Loads once a server answers (its events raise notifications), or when its view or a command needs it. */
export const activityManifest: FeatureManifest<ActivityFeature> = {
  id: 'activity',
  commands: ACTIVITY_COMMANDS,
  views: [VIEW_IDS.activity],
  uriPaths: ['/session'],
  loadOn: 'connected',
  load: async () => (await import('./activityFeature')).createActivityFeature,
};
