// The Project details panel's Timeline section (issue #15): what happened to the project, newest first,
// with kind filters and "Load more". The host loads the pages (extension/projects/projectTimeline.ts).
import type { TimelineEntryView, TimelineKindView, TimelineView } from '../protocol/project';
import { Muted, Notice, Section } from '../shared/components';
import { absoluteTime, relativeTime } from '../shared/format';

/** The filters offered, each a group of kinds. */
const FILTERS: { label: string; kinds: TimelineKindView[] }[] = [
  { label: 'Deploys', kinds: ['deploy', 'start', 'stop', 'restart', 'delete'] },
  { label: 'Crashes', kinds: ['crash'] },
  { label: 'Git', kinds: ['push', 'pull', 'fetch', 'import'] },
  { label: 'Config', kinds: ['config', 'tier'] },
  { label: 'Sessions', kinds: ['session-start', 'session-end'] },
];

const KIND_TEXT: Record<TimelineKindView, string> = {
  deploy: 'Deploy', start: 'Start', stop: 'Stop', restart: 'Restart', crash: 'Crash', delete: 'Delete',
  push: 'Push', pull: 'Pull', fetch: 'Fetch', import: 'Import', config: 'Config change',
  tier: 'Tier change', 'session-start': 'Session started', 'session-end': 'Session finished',
};

interface Props {
  timeline: TimelineView | undefined;
  disabled: boolean;
  onLoad(kinds: TimelineKindView[], more: boolean): void;
}

export function Timeline({ timeline, disabled, onLoad }: Props) {
  const selected = new Set(timeline?.kinds ?? []);
  const toggle = (kinds: TimelineKindView[]) => {
    const on = kinds.every((k) => selected.has(k));
    const next = on ? [...selected].filter((k) => !kinds.includes(k)) : [...selected, ...kinds];
    onLoad(next, false);
  };
  return (
    <Section title="Timeline">
      <div class="timeline-filters" role="group" aria-label="Show only">
        {FILTERS.map((f) => (
          <label key={f.label} class="timeline-filter">
            <input
              type="checkbox"
              checked={f.kinds.every((k) => selected.has(k))}
              disabled={disabled || !timeline}
              onChange={() => toggle(f.kinds)}
            />
            {f.label}
          </label>
        ))}
      </div>
      {timeline?.error && <Notice kind="error">{timeline.error}</Notice>}
      {!timeline ? (
        <p class="hg-muted section-note">Loading the timeline…</p>
      ) : timeline.entries.length === 0 ? (
        <p class="hg-muted section-note">Nothing {selected.size ? 'of these kinds ' : ''}has happened yet.</p>
      ) : (
        <ol class="timeline" aria-label="Timeline entries">
          {timeline.entries.map((e) => <Entry key={e.id} entry={e} />)}
        </ol>
      )}
      {timeline?.hasMore && (
        <vscode-button secondary disabled={disabled || timeline.loading} onClick={() => onLoad(timeline.kinds, true)}>
          {timeline.loading ? 'Loading…' : 'Load more'}
        </vscode-button>
      )}
    </Section>
  );
}

function Entry({ entry }: { entry: TimelineEntryView }) {
  const rel = relativeTime(entry.at);
  return (
    <li class={`timeline-entry timeline-${entry.outcome}`} data-kind={entry.kind}>
      <strong>{KIND_TEXT[entry.kind]}</strong> <Muted>by {entry.actor}</Muted> · {entry.outcome}
      <span class="hg-muted" title={entry.at}> · {absoluteTime(entry.at)}{rel && ` (${rel})`}</span>
      {entry.detail && <pre class="timeline-detail">{entry.detail}</pre>}
    </li>
  );
}
