import type { CommandHandlers } from '../core/commandRegistry';
import type { HangarSession } from '../core/hangarSession';
import type { ActivityFeature } from './activityFeature';
import type { ACTIVITY_COMMANDS } from './activityManifest';
import { notificationWebhookCommands } from './notifications/webhookCommands';

/** Open Session (from the view, a notification or a link) and the outgoing notification webhook's commands. */
export function activityCommands(
  activity: ActivityFeature, session: HangarSession,
): Pick<CommandHandlers, (typeof ACTIVITY_COMMANDS)[number]> {
  return {
    'hangar.openSession': (args) => activity.openSession(args),
    ...notificationWebhookCommands(session),
  };
}
