/**
 * One URI handler for the whole extension (VS Code allows one per extension): features register a
 * path (`/session`, `/oauth/callback`, ...) and receive its query parameters. Plain module; the
 * `vscode.window.registerUriHandler` adapter lives in extension.ts.
 */
export type UriRoute = (query: URLSearchParams) => unknown;

export class UriRouter {
  private readonly routes = new Map<string, UriRoute>();

  /** Registers a handler for an exact path; returns a disposer. A path may have one handler. */
  register(path: string, route: UriRoute): { dispose(): void } {
    const key = normalise(path);
    if (this.routes.has(key)) throw new Error(`a URI handler for ${key} is already registered`);
    this.routes.set(key, route);
    return { dispose: () => void this.routes.delete(key) };
  }

  /** Dispatches `path` + raw query string; false when no handler is registered for the path. */
  async handle(path: string, query: string): Promise<boolean> {
    const route = this.routes.get(normalise(path));
    if (!route) return false;
    await route(new URLSearchParams(query));
    return true;
  }

  get paths(): string[] {
    return [...this.routes.keys()];
  }
}

function normalise(path: string): string {
  const p = path.startsWith('/') ? path : `/${path}`;
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}
