import { useEffect, useState } from 'preact/hooks';
import type {
  SettingsEdit, SettingsHostToWebview, SettingsPanelState, SettingsPersistedState, SettingsWebviewToHost,
} from '../protocol/settings';
import type { RequestBody } from '../protocol/common';
import { EmptyState, Field, Fields, Loading, Muted, Notice, Section } from '../shared/components';
import type { Ipc } from '../shared/ipc';
import { PermissionEditor } from './PermissionEditor';

export type SettingsIpc = Ipc<SettingsHostToWebview, SettingsWebviewToHost, SettingsPersistedState>;

export function App({ ipc }: { ipc: SettingsIpc }) {
  const [state, setState] = useState<SettingsPanelState>({ kind: 'loading' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    ipc.listen({ state: ({ state: next }) => setState(next) });
    ipc.post({ type: 'ready' });
    const projectId = ipc.getState()?.projectId;
    if (projectId) void ipc.request({ type: 'selectProject', projectId }).catch(() => undefined);
    return () => ipc.dispose();
  }, [ipc]);

  const run = (body: RequestBody<SettingsWebviewToHost>, done?: string, timeoutMs = 30_000): void => {
    setBusy(true);
    setError(null);
    setSaved(null);
    ipc.request(body, timeoutMs)
      .then(() => { if (done) setSaved(done); })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  const save = (edit: SettingsEdit, what: string) => run({ type: 'save', edit }, `${what} saved: in effect now.`);

  if (state.kind === 'loading') return <Loading label="Loading settings…" />;
  if (state.kind === 'unavailable') {
    return (
      <EmptyState title="Settings unavailable"
        actions={<vscode-button secondary disabled={busy} onClick={() => run({ type: 'refresh' })}>Retry</vscode-button>}>
        {state.message}
      </EmptyState>
    );
  }
  const { settings, projects, project } = state;
  const selectProject = (projectId: string | null) => {
    ipc.setState({ v: 1, projectId });
    run({ type: 'selectProject', projectId });
  };
  return (
    <main class="hg-settings">
      {error && <Notice kind="error" onDismiss={() => setError(null)}>{error}</Notice>}
      {saved && <Notice kind="info" onDismiss={() => setSaved(null)}>{saved}</Notice>}
      <Section title="Settings file" aside={
        <span class="hg-actions">
          <vscode-button secondary disabled={busy} onClick={() => run({ type: 'exportSettings' }, undefined, 10 * 60_000)}>Export…</vscode-button>
          <vscode-button secondary disabled={busy} onClick={() => run({ type: 'importSettings' }, undefined, 10 * 60_000)}>Import…</vscode-button>
        </span>
      }>
        <p class="hg-muted">
          These are kept on the Hangar server. Editor-side settings (notifications, pull questions, refresh) are in{' '}
          <button type="button" class="hg-link-button" onClick={() => run({ type: 'openClientSettings' })}>VS Code's Settings editor</button>.
        </p>
      </Section>
      <Section title="Default model">
        <Fields>
          <Field label="Provider and model">
            {settings.defaultModel ? `${settings.defaultModel.providerId} / ${settings.defaultModel.modelId}` : <Muted>none</Muted>}
          </Field>
          <Field label="Custom providers">
            {settings.customProviders.length ? settings.customProviders.map((p) => `${p.name} (${p.models} models)`).join(', ') : <Muted>none</Muted>}
          </Field>
          <Field label="Git tokens for">{settings.githubHosts.length ? settings.githubHosts.join(', ') : <Muted>no host</Muted>}</Field>
        </Fields>
        <p class="hg-muted">Change them from the Providers view and the GitHub commands.</p>
      </Section>
      <Section title="Agent permissions (your default)">
        <PermissionEditor value={settings.permissions} inheritLabel="opencode's default (allow)" busy={busy}
          onSave={(value) => save({ section: 'permissions', value }, 'Default permissions')} />
      </Section>
      <Section title="Project permissions">
        <select aria-label="project" value={project?.projectId ?? ''}
          onChange={(e) => selectProject((e.target as HTMLSelectElement).value || null)}>
          <option value="">Choose a project…</option>
          {projects.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
        </select>
        {project && (
          <PermissionEditor value={project.override} inheritLabel="Inherit" effective={project} busy={busy}
            onSave={(permissions) => run({ type: 'saveProjectPermissions', projectId: project.projectId, permissions },
              `Permissions of ${project.name} saved: its running agent has them now.`)} />
        )}
      </Section>
      <Section title="Sync">
        <label>New pulls
          <select aria-label="pull mode" value={settings.pullMode}
            onChange={(e) => save({ section: 'pullMode', value: (e.target as HTMLSelectElement).value as 'merge' | 'rebase' }, 'Sync default')}>
            <option value="merge">merge</option><option value="rebase">rebase</option>
          </select>
        </label>
      </Section>
      <Section title="Notification webhook">
        {settings.notificationWebhook
          ? <p>{settings.notificationWebhook.url} <Muted>({settings.notificationWebhook.kinds.join(', ')})</Muted></p>
          : <p class="hg-muted">None. Set it with "Hangar: Configure Notification Webhook".</p>}
        {settings.notificationWebhook && (
          <button type="button" class="hg-link-button" disabled={busy}
            onClick={() => save({ section: 'notificationWebhook', value: null }, 'Webhook removal')}>Remove</button>
        )}
      </Section>
    </main>
  );
}
