/**
 * The API's base URL as each runtime's agents reach it: their opencode plugin posts session events
 * to <url>/api/webhooks/opencode. Known only once the server listens (server.ts records one per
 * runtime, see activity/webhookTarget.ts); a deploy before that carries none.
 */
export class AgentApiUrls {
  private readonly byRuntime = new Map<string, string>();

  /** `defaultRuntime` (HANGAR_RUNTIME): its URL stands in for a runtime without its own. */
  constructor(private readonly defaultRuntime: string) {}

  /** The first URL recorded for a runtime stays. */
  record(runtime: string, url: string): void {
    if (!this.byRuntime.has(runtime)) this.byRuntime.set(runtime, url);
  }

  get(runtime: string): string | undefined {
    return this.byRuntime.get(runtime) ?? this.byRuntime.get(this.defaultRuntime);
  }
}
