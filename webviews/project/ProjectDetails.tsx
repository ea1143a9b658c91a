import type { ProjectStatusView } from '../protocol/common';
import type { ProjectView, TierView, TimelineKindView, TimelineView } from '../protocol/project';
import { Timeline } from './Timeline';
import { Field, Fields, LinkButton, Muted, Notice, Section } from '../shared/components';
import { absoluteTime, cpuText, memoryText, relativeTime, statusText } from '../shared/format';

export type Action = 'refresh' | 'deleteProject' | 'agent' | 'vnc';

interface Props {
  project: ProjectView;
  tier: TierView | null;
  offline: string | null;
  timeline: TimelineView | undefined;
  busy: Action | null;
  error: string | null;
  onAction(action: Action): void;
  onDismissError(): void;
  onLoadTimeline(kinds: TimelineKindView[], more: boolean): void;
}

/** Colour family of each status (see project.css). */
const STATUS_TONE: Record<ProjectStatusView, 'ok' | 'busy' | 'idle' | 'bad'> = {
  not_deployed: 'idle', deploying: 'busy', starting: 'busy', running: 'ok',
  stopping: 'busy', stopped: 'idle', crashed: 'bad', failed: 'bad',
};

export function ProjectDetails(props: Props) {
  const { project, tier, offline, busy, error, onAction, onDismissError } = props;
  const disabled = busy !== null || offline !== null;
  return (
    <main class="project">
      <header class="project-header">
        <div class="project-title">
          <h1>{project.name}</h1>
          <div class="project-subtitle">
            <StatusPill status={project.status} />
            <code class="hg-muted" title="Slug: the project's name in URLs and container names">{project.slug}</code>
          </div>
        </div>
        <div class="hg-actions project-actions">
          <vscode-button secondary disabled={disabled} onClick={() => onAction('refresh')}>
            {busy === 'refresh' ? 'Refreshing…' : 'Refresh'}
          </vscode-button>
          <vscode-button class="danger" disabled={disabled} onClick={() => onAction('deleteProject')}>
            {busy === 'deleteProject' ? 'Deleting…' : 'Delete Project'}
          </vscode-button>
        </div>
      </header>

      {offline && <Notice kind="warning">{offline}</Notice>}
      {error && <Notice kind="error" onDismiss={onDismissError}>{error}</Notice>}
      {project.statusReason && (
        <Notice kind={STATUS_TONE[project.status] === 'bad' ? 'error' : 'info'}>
          <strong>{statusText(project.status)}:</strong> {project.statusReason}
        </Notice>
      )}

      <div class="project-grid">
        <TierSection tierId={project.tierId} tier={tier} />
        <Section title="Endpoints">
          <Fields>
            <Field label="Agent">
              <Endpoint url={project.urls.agent} missing="Available once deployed" busy={busy === 'agent'} disabled={disabled} onOpen={() => onAction('agent')} />
            </Field>
            <Field label="Desktop (VNC)">
              <Endpoint
                url={project.urls.vnc}
                missing={tier && !tier.hasDesktopAccess ? 'Needs a tier with desktop access' : 'Available once deployed'}
                busy={busy === 'vnc'}
                disabled={disabled}
                onOpen={() => onAction('vnc')}
              />
            </Field>
          </Fields>
        </Section>
        <Section title="Repository">
          {project.repository ? (
            <Fields>
              <Field label="URL">{project.repository.url}</Field>
              <Field label="Branch"><code>{project.repository.branch}</code></Field>
              <Field label="Sync">
                {project.repository.sync.enabled ? syncText(project.repository.sync.direction) : <Muted>Off</Muted>}
              </Field>
            </Fields>
          ) : (
            <p class="hg-muted section-note">No repository: the workspace starts empty.</p>
          )}
        </Section>
        <Section title="Project">
          <Fields>
            <Field label="Model provider">
              {project.providerOverride ? <code>{project.providerOverride}</code> : <>Default <Muted>(the server's)</Muted></>}
            </Field>
            <Field label="Runtime"><code>{project.runtime}</code></Field>
            <Field label="Created" title={project.createdAt}>{when(project.createdAt)}</Field>
            <Field label="Updated" title={project.updatedAt}>{when(project.updatedAt)}</Field>
            <Field label="Id"><code class="hg-muted">{project.id}</code></Field>
          </Fields>
        </Section>
      </div>
      <Timeline timeline={props.timeline} disabled={offline !== null} onLoad={props.onLoadTimeline} />
    </main>
  );
}

function StatusPill({ status }: { status: ProjectStatusView }) {
  return (
    <span class={`status status-${STATUS_TONE[status]}`} role="status">
      <span class="status-dot" aria-hidden="true" />
      {statusText(status)}
    </span>
  );
}

function TierSection({ tierId, tier }: { tierId: string; tier: TierView | null }) {
  const badges = tier && (
    <>
      {tier.isDefault && <vscode-badge>default</vscode-badge>}
      {tier.retired && <vscode-badge>retired</vscode-badge>}
    </>
  );
  return (
    <Section title="Container tier" aside={badges}>
      <p class="tier-name">
        <strong>{tier?.name ?? tierId}</strong> <code class="hg-muted">{tierId}</code>
      </p>
      {tier ? (
        <>
          {tier.description && <p class="hg-muted section-note">{tier.description}</p>}
          <Fields>
            <Field label="CPU">{cpuText(tier.cpus)}</Field>
            <Field label="Memory">{memoryText(tier.memory)} <Muted>({memoryText(tier.memoryReservation)} reserved)</Muted></Field>
            <Field label="Storage">{tier.storageGb} GB</Field>
            <Field label="Desktop access">{tier.hasDesktopAccess ? 'Yes (VNC)' : 'No'}</Field>
          </Fields>
        </>
      ) : (
        <p class="hg-muted section-note">The tier's details are not loaded.</p>
      )}
    </Section>
  );
}

function Endpoint({ url, missing, busy, disabled, onOpen }: { url: string | null; missing: string; busy: boolean; disabled: boolean; onOpen(): void }) {
  if (!url) return <Muted>{missing}</Muted>;
  return <LinkButton onClick={onOpen} disabled={disabled} title={`Open ${url} in the browser`}>{busy ? 'Opening…' : url}</LinkButton>;
}

function when(iso: string) {
  const rel = relativeTime(iso);
  return <>{absoluteTime(iso)}{rel && <Muted> · {rel}</Muted>}</>;
}

function syncText(direction: 'push' | 'pull' | 'both'): string {
  return direction === 'both' ? 'On (push and pull)' : `On (${direction} only)`;
}
