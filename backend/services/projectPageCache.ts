import type { Project } from '../contract';

export interface ProjectPage {
  items: Project[];
  nextCursor: string | null;
}

export interface ProjectPageCacheLimits {
  /** Owners whose pages are kept; the least recently listed owner goes first. */
  owners: number;
  /** Pages (limit and cursor) kept per owner. */
  pagesPerOwner: number;
}

/**
 * Pages of an owner's project list, kept under the list tag they were read after (migration 0017's
 * trigger renews the tag on every insert, update and delete of one of the owner's projects, on any
 * replica). A page is answered from here only while the owner's tag is still the one it was read
 * under; a new tag drops the owner's pages. A change between reading the tag and reading the page
 * renews the tag, so that page is never answered again.
 */
export class ProjectPageCache {
  private readonly owners = new Map<string, { tag: string; pages: Map<string, ProjectPage> }>();

  constructor(private readonly limits: ProjectPageCacheLimits = { owners: 256, pagesPerOwner: 16 }) {}

  async get(ownerId: string, tag: string, limit: number, cursor: string | undefined,
    read: () => Promise<ProjectPage>): Promise<ProjectPage> {
    const key = `${limit} ${cursor ?? ''}`;
    let entry = this.owners.get(ownerId);
    if (entry) this.owners.delete(ownerId);
    if (!entry || entry.tag !== tag) entry = { tag, pages: new Map() };
    // Map order is the recency order.
    this.owners.set(ownerId, entry);
    if (this.owners.size > this.limits.owners) this.owners.delete(this.owners.keys().next().value!);
    const hit = entry.pages.get(key);
    if (hit) return hit;
    const page = await read();
    if (this.owners.get(ownerId) !== entry) return page;
    if (entry.pages.size >= this.limits.pagesPerOwner) entry.pages.delete(entry.pages.keys().next().value!);
    entry.pages.set(key, page);
    return page;
  }
}
