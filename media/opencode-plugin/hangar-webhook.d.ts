// Types of the plain-JS plugin, for the unit tests (opencode itself loads the .js).
export interface HangarWebhookDeps {
  env?: Record<string, string | undefined>;
  fetch?: (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<Response>;
  /** Reads $HANGAR_BINDING_FILE (a warm-pool agent learns its project when a deploy claims it). */
  readFile?: (file: string) => string;
  log?: (message: string) => void;
  now?: () => number;
  retryDelaysMs?: number[];
  maxQueue?: number;
}
export interface HangarWebhookHooks {
  event?: (input: { event: { type: string; properties?: Record<string, unknown> } }) => Promise<void>;
}
export declare const HangarWebhook: (input: unknown, deps?: HangarWebhookDeps) => Promise<HangarWebhookHooks>;
