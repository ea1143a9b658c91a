// hangar.internal.activity: the Activity view as shown, the notifications with what was decided for
// each, what the sinks raised and the sessions opened; with `respond`, a click on a notification's
// button; with `uri`, a deep link routed as VS Code routes it. Recorded by tapping the feature's parts.
import * as vscode from 'vscode';
import type { ActivityNotification } from '../../../backend/contract';
import type { ActivityFeature } from '../../../extension/activity/activityFeature';
import type { AgentState } from '../../../extension/activity/activityModel';
import type { Decision, NotificationAction } from '../../../extension/activity/notifications/notificationCenter';
import type { OpenSessionArgs } from '../../../extension/core/commandIds';
import type { HangarSession } from '../../../extension/core/hangarSession';
import type { UriRouter } from '../../../extension/core/uriRouter';
import { pushBounded, tapMethod } from './tap';

/** What one sink was asked to do, newest last. */
export type SinkRecord =
  | { sink: 'inApp'; sessionId: string; actions: NotificationAction[] }
  | { sink: 'system' | 'sound' }
  | { sink: 'summary'; text: string }
  | { sink: 'action'; sessionId: string; action: NotificationAction; ok: boolean };

export interface ActivityProbe {
  rows: Array<{ id: string; label: string; description: string; tooltip: string; icon: string; contextValue: string }>;
  badge: number;
  visible: boolean;
  notifications: Array<ActivityNotification & { shown: boolean; decision: Decision }>;
  opened: OpenSessionArgs[];
  /** Notifications held back by quiet hours, not yet summed up. */
  held: number;
  sinks: SinkRecord[];
  agentStates: Record<string, AgentState>;
}

/** The probe's optional argument: act on a notification, or route a deep link, as a user would. */
export interface ActivityInternalArgs {
  respond?: { sessionId: string; action: NotificationAction };
  uri?: string;
}

const KEEP = 100;

export function activityHooks(uriRouter: UriRouter): {
  loaded: (activity: ActivityFeature) => void;
  command: (activity: ActivityFeature, session: HangarSession, args?: ActivityInternalArgs) => Promise<unknown>;
} {
  const notifications: ActivityProbe['notifications'] = [];
  const sinks: SinkRecord[] = [];
  const opened: OpenSessionArgs[] = [];

  const loaded = (activity: ActivityFeature): void => {
    tapMethod(activity.center, 'offer', ([note], decision) => {
      pushBounded(notifications, { ...note, shown: decision === 'shown', decision }, KEEP);
    });
    tapMethod(activity.sinks, 'inApp', ([note, actions]) => {
      pushBounded(sinks, { sink: 'inApp', sessionId: note.sessionId, actions }, KEEP);
    });
    tapMethod(activity.sinks, 'act', ([note, action], done) => {
      void done.then((ok) => pushBounded(sinks, { sink: 'action', sessionId: note.sessionId, action, ok }, KEEP));
    });
    tapMethod(activity.sinks, 'summary', ([text]) => pushBounded(sinks, { sink: 'summary', text }, KEEP));
    tapMethod(activity.sinks, 'system', () => pushBounded(sinks, { sink: 'system' }, KEEP));
    tapMethod(activity.sinks, 'sound', () => pushBounded(sinks, { sink: 'sound' }, KEEP));
    tapMethod(activity, 'openSession', ([args]) => {
      if (args?.projectId && args.sessionId) pushBounded(opened, args, KEEP);
    });
  };

  const probe = (activity: ActivityFeature, session: HangarSession): ActivityProbe => ({
    rows: activity.tree.getChildren().map(({ model: m }) => ({
      id: m.id, label: m.label, description: m.description, tooltip: m.tooltip, icon: m.icon.id,
      contextValue: m.contextValue,
    })),
    badge: activity.model.badgeCount,
    visible: activity.view.visible,
    notifications: [...notifications],
    opened: [...opened],
    held: activity.center.heldCount,
    sinks: [...sinks],
    agentStates: Object.fromEntries(session.store.projects.map((p) => [p.id, activity.agentState(p.id)])),
  });

  const command = async (
    activity: ActivityFeature, session: HangarSession, args?: ActivityInternalArgs,
  ): Promise<unknown> => {
    if (args?.respond) {
      const { sessionId, action } = args.respond;
      const note = [...notifications].reverse().find((n) => n.sessionId === sessionId);
      if (!note) throw new Error(`no notification for session ${sessionId}`);
      return activity.sinks.act(note, action);
    }
    if (args?.uri) {
      const uri = vscode.Uri.parse(args.uri);
      return uriRouter.handle(uri.path, uri.query);
    }
    return probe(activity, session);
  };
  return { loaded, command };
}
