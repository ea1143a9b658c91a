// hangar.internal.snapshot: what the suite reads of the connection, the status bar and the trees.
// Never returns a token.
import type { Services } from '../../../extension/projects/projectServices';

export interface Snapshot {
  connection: string;
  url: string | undefined;
  user: string | undefined;
  statusBarText: string;
  hasStoredToken: boolean;
  projectNames: string[];
  tierIds: string[];
  /** The projects tree as shown: what a user sees per row. */
  projectRows: Array<{
    id: string; label: string; description: string | undefined; contextValue: string; icon: string;
    tooltip: string | undefined;
  }>;
  /** The tiers tree as shown (offline, each row says how old its copy is). */
  tierRows: Array<{ id: string; description: string | undefined }>;
  autoRefreshScheduled: boolean;
}

export async function snapshot(s: Services): Promise<Snapshot> {
  const state = s.session.state;
  const url = state.kind === 'disconnected' ? undefined : state.url;
  return {
    connection: state.kind,
    url,
    user: state.kind === 'connected' ? state.user.username : undefined,
    statusBarText: s.statusBarText(),
    hasStoredToken: url ? await s.session.hasStoredToken(url) : false,
    projectNames: s.projectsTree.projectNames(),
    tierIds: s.tiersTree.tierIds(),
    projectRows: s.projectsTree.getChildren().filter((i) => i.projectId !== undefined).map((i) => ({
      id: i.projectId!, label: i.model.label, description: i.model.description, contextValue: i.model.contextValue,
      icon: i.model.icon.id, tooltip: i.model.tooltip,
    })),
    tierRows: s.tiersTree.getChildren().map((i) => ({ id: i.model.id, description: i.model.description })),
    autoRefreshScheduled: s.autoRefreshScheduled(),
  };
}
