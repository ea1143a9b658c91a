// hangar.internal.sync: the sync model's focus and statuses, the status bar item as shown, and the sync
// notifications raised (with the button chosen); `select` selects a row of the Projects view as a user would.
import type { SyncStatus } from '../../../backend/contract';
import type { ProjectsFeature } from '../../../extension/projects/projectsFeature';
import type { SyncFeature } from '../../../extension/sync/syncFeature';
import type { NoticeKind, NoticeLevel } from '../../../extension/sync/notices';
import type { SyncStatusBar } from '../../../extension/sync/syncStatusBar';
import { pushBounded, tapMethod } from './tap';

export interface NoticeRecord {
  kind: NoticeKind;
  level: NoticeLevel;
  projectId: string | undefined;
  message: string;
  items: string[];
  /** The button the user chose, once they did ('' when dismissed). */
  choice?: string;
}

export interface SyncProbe {
  focused: string | undefined;
  focusSource: string | undefined;
  statusBar: SyncStatusBar['view'];
  statuses: Record<string, SyncStatus>;
  notices: NoticeRecord[];
}

export interface SyncProbeArgs { select?: string }

export function syncHooks(): {
  loaded: (sync: SyncFeature) => void;
  command: (sync: SyncFeature, projects: ProjectsFeature, args?: SyncProbeArgs) => Promise<SyncProbe>;
} {
  const notices: NoticeRecord[] = [];
  const loaded = (sync: SyncFeature): void => {
    tapMethod(sync.notices, 'raise', ([kind, level, projectId, message, items], chosen) => {
      const record: NoticeRecord = { kind, level, projectId, message, items: [...(items ?? [])] };
      pushBounded(notices, record, 30);
      void chosen.then((choice) => { record.choice = choice ?? ''; });
    });
  };

  const command = async (sync: SyncFeature, projects: ProjectsFeature, args?: SyncProbeArgs): Promise<SyncProbe> => {
    if (args?.select) {
      // The real path: select the row; the view's onDidChangeSelection moves the focus.
      const item = projects.projectsTree.getChildren().find((i) => i.projectId === args.select);
      if (item) {
        await Promise.resolve(projects.projectsView.reveal(item, { select: true, focus: true }))
          .catch((e: unknown) => console.warn(`sync hooks: could not select ${args.select}: ${String(e)}`));
      }
    }
    return {
      focused: sync.model.focused,
      focusSource: sync.model.focusSource,
      statusBar: sync.statusBar.view,
      statuses: sync.model.all(),
      notices: notices.map((n) => ({ ...n, items: [...n.items] })),
    };
  };
  return { loaded, command };
}
