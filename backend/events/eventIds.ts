/**
 * The one event-id allocator of the API's streams (/api/events in eventHub.ts, each project's
 * agent events in opencode/eventRelay.ts): ids are monotonic in this process and start at the
 * wall-clock millisecond of its start-up, so an id from before a restart is recognisably older
 * than anything this process issued and gets an explicit resync instead of a silent gap.
 */
export class EventIds {
  readonly firstId: number;
  private next: number;

  constructor(now: () => number = Date.now) {
    this.firstId = now();
    this.next = this.firstId;
  }

  issue(): number {
    return this.next++;
  }

  /** The last id issued (firstId - 1 before the first). */
  get last(): number {
    return this.next - 1;
  }
}
