// The project is starting because a prompt waits for it (Cancel stops waiting; the prompt stays
// queued with a Retry), or it could not start (why, and what to do).
import type { ChatProject, ChatStarting } from '../protocol/chat';

export function StartingBanner({ project, starting, onCancel, onDismiss }: {
  project: ChatProject | null; starting: ChatStarting; onCancel(): void; onDismiss(): void;
}) {
  if (starting?.phase === 'failed') {
    return (
      <div class="banner banner-start-failed" role="alert">
        {starting.message}
        <button type="button" class="hg-link-button banner-action" onClick={onDismiss}>Dismiss</button>
      </div>
    );
  }
  const transitional = project && (project.status === 'starting' || project.status === 'deploying');
  if (!starting && !transitional) return null;
  return (
    <div class="banner banner-starting" role="status" aria-live="polite">
      <span class="dots" aria-hidden="true" />
      {starting?.message ?? `Starting ${project?.name ?? 'the project'}… your message is sent once the agent is up.`}
      {starting && <button type="button" class="hg-link-button banner-action" onClick={onCancel}>Cancel</button>}
    </div>
  );
}
