import type { Project } from '../../backend/contract';
import type { ApiClient } from '../core/apiClient';

/**
 * Which pages of GET /api/projects the Projects view holds: the first page on each refresh (with the ETag
 * of the last one, so an unchanged list costs a 304 and no parsing), more on "Load more". Only what was
 * loaded is kept, so a user with thousands of projects does not hold them all in the extension host.
 */
export class ProjectPaging {
  private etag: string | undefined;
  private cursor: string | null = null;

  constructor(private readonly pageSize?: number) {}

  /** More projects (older ones) exist beyond those loaded. */
  get hasMore(): boolean {
    return this.cursor !== null;
  }

  /**
   * The first page, or `unchanged` when the server says no project changed since the last first page.
   * `revalidate`: the store still holds what the last fetch returned (otherwise the full page is asked for).
   */
  async first(api: Pick<ApiClient, 'projectsPage'>, revalidate: boolean): Promise<Project[] | 'unchanged'> {
    const page = await api.projectsPage({ limit: this.pageSize, etag: revalidate ? this.etag : undefined });
    if ('unchanged' in page) return 'unchanged';
    this.etag = page.etag ?? undefined;
    this.cursor = page.nextCursor;
    return page.items;
  }

  /** The next page after those loaded (none when there is no more). */
  async more(api: Pick<ApiClient, 'projectsPage'>): Promise<Project[]> {
    if (this.cursor === null) return [];
    const page = await api.projectsPage({ limit: this.pageSize, cursor: this.cursor });
    if ('unchanged' in page) return [];
    this.cursor = page.nextCursor;
    return page.items;
  }

  reset(): void {
    this.etag = undefined;
    this.cursor = null;
  }
}
