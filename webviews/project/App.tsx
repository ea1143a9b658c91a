import { useEffect, useState } from 'preact/hooks';
import type { RequestBody } from '../protocol/common';
import type {
  ProjectHostToWebview, ProjectPanelState, ProjectPersistedState, ProjectWebviewToHost, TimelineKindView,
} from '../protocol/project';
import { EmptyState, Loading } from '../shared/components';
import type { Ipc } from '../shared/ipc';
import { ProjectDetails, type Action } from './ProjectDetails';

export type ProjectIpc = Ipc<ProjectHostToWebview, ProjectWebviewToHost, ProjectPersistedState>;

/** The host waits on a modal confirmation for a delete: give people time to read it. */
const TIMEOUTS: Record<Action, number> = { refresh: 30_000, deleteProject: 10 * 60_000, agent: 15_000, vnc: 15_000 };

export function App({ ipc }: { ipc: ProjectIpc }) {
  // The last state from before a reload shows at once; the host's fresh one follows `ready`.
  const [state, setState] = useState<ProjectPanelState>(() => ipc.getState()?.last ?? { kind: 'loading' });
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    ipc.listen({
      state: ({ state: next }) => {
        setState(next);
        ipc.setState({ v: 1, last: next });
      },
    });
    ipc.post({ type: 'ready' });
    return () => ipc.dispose();
  }, [ipc]);

  const run = (action: Action): void => {
    const body: RequestBody<ProjectWebviewToHost> = action === 'agent' || action === 'vnc'
      ? { type: 'openLink', link: action }
      : { type: action };
    setBusy(action);
    setError(null);
    ipc.request(body, TIMEOUTS[action])
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(null));
  };

  const loadTimeline = (kinds: TimelineKindView[], more: boolean): void => {
    setError(null);
    ipc.request({ type: 'loadTimeline', kinds, more }, 30_000)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };

  switch (state.kind) {
    case 'loading':
      return <Loading label="Loading project…" />;
    case 'deleted':
      return (
        <EmptyState title={`“${state.name}” was deleted`}>
          Its container and workspace are gone from the server. You can close this tab.
        </EmptyState>
      );
    case 'unavailable':
      return (
        <EmptyState
          title="Project unavailable"
          actions={<vscode-button secondary disabled={busy !== null} onClick={() => run('refresh')}>Retry</vscode-button>}
        >
          {error ?? state.message}
        </EmptyState>
      );
    case 'project':
      return (
        <ProjectDetails
          project={state.project}
          tier={state.tier}
          offline={state.offline}
          timeline={state.timeline}
          busy={busy}
          error={error}
          onAction={run}
          onDismissError={() => setError(null)}
          onLoadTimeline={loadTimeline}
        />
      );
  }
}
