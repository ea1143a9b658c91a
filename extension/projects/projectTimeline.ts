// The Timeline section of the Project details panel (issue #15): pages of GET /api/projects/:id/timeline,
// newest first, with a kind filter and "Load more". Plain logic; the panel posts `view` with its state.
import type { TimelineKind, TimelinePage } from '../../backend/contract';
import type { TimelineEntryView, TimelineView } from '../../webviews/protocol/project';

export interface TimelineApi {
  timeline(
    projectId: string, q: { cursor?: string | null; kinds?: TimelineKind[]; limit?: number },
  ): Promise<TimelinePage>;
}

export const TIMELINE_PANEL_PAGE = 50;

export class ProjectTimeline {
  private entries: TimelineEntryView[] = [];
  private kinds: TimelineKind[] = [];
  private cursor: string | null = null;
  private loading = false;
  private error: string | null = null;
  private loaded = false;
  /** Each load's number: an answer to an older load (another filter) is dropped. */
  private generation = 0;

  constructor(
    private readonly api: TimelineApi, private readonly projectId: string, private readonly changed: () => void,
  ) {}

  /** Undefined until the first load has answered (the section then shows "Loading…"). */
  get view(): TimelineView | undefined {
    if (!this.loaded && !this.error) return undefined;
    return {
      entries: this.entries, kinds: this.kinds, hasMore: this.cursor !== null, loading: this.loading, error: this.error,
    };
  }

  /** The first page again, with these kinds (undefined: the current filter). */
  reload(kinds?: TimelineKind[]): Promise<void> {
    if (kinds) this.kinds = [...new Set(kinds)];
    return this.fetch(false);
  }

  /** The next older page, appended. */
  more(): Promise<void> {
    return this.cursor ? this.fetch(true) : Promise.resolve();
  }

  private async fetch(append: boolean): Promise<void> {
    const generation = ++this.generation;
    this.loading = true;
    this.changed();
    try {
      const page = await this.api.timeline(this.projectId, {
        cursor: append ? this.cursor : null, kinds: this.kinds, limit: TIMELINE_PANEL_PAGE,
      });
      if (generation !== this.generation) return;
      const items = page.items.map(({ id, kind, actor, outcome, detail, at }) =>
        ({ id, kind, actor, outcome, detail, at }));
      this.entries = append ? [...this.entries, ...items] : items;
      this.cursor = page.nextCursor;
      this.error = null;
      this.loaded = true;
    } catch (e) {
      if (generation !== this.generation) return;
      this.error = `Could not load the timeline: ${e instanceof Error ? e.message : String(e)}`;
      throw e;
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.changed();
      }
    }
  }
}
