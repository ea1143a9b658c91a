import type { z } from 'zod';
import {
  ActivityPage, NotificationDeliveryList, NotificationWebhook, NotificationWebhookState, CredentialList, CredentialMeta, CustomProvider, DefaultModel, EffectiveModel, ErrorBody, Health, LogLines, Me, ModelList,
  Operation, OperationList, PROJECT_PAGE_MAX, Project, ProjectList, ProviderList, Tier, TierList,
  ConnectionTestResult, DeviceFlowStart, DeviceFlowStatus, RedirectAuthorize, VncTicket,
  WorkspaceDirectory, WorkspaceFileContent, WorkspaceStat,
  GithubCredentialInfo, SyncConflictFile, TimelinePage, type TimelineKind, SyncOperationAccepted, SyncStatus, RuntimeList, type RuntimeInfo,
  type CustomProviderCreate, type ModelChoice, type ModelSummary, type ProjectCreate, type ProjectModelUpdate, type ProjectRedeploy, type ProjectUpdate,
} from '../../backend/contract';
import {
  EffectivePermissions, IDEMPOTENCY_HEADER, ImportPreview, ImportReport, PermissionSettings, ServerSettings, SettingsExport,
  type ServerSettingsUpdate,
} from '../../backend/contract';
import { ApiError } from './apiError';
import type { Fetch } from './fetchTypes';

export interface RequestFailure {
  method: string;
  path: string;
  status: number;
  code: string;
  message: string;
}

export interface ApiClientOptions {
  baseUrl: string;
  token: string | undefined;
  fetch: Fetch;
  timeoutMs?: number;
  /** Every failed request lands here (for the log); the error is thrown as well. */
  onFailure?: (failure: RequestFailure) => void;
}

const NoContent = { parse: () => undefined } as const;

/**
 * The management API, typed by the contract: every response is parsed with its zod schema and every
 * failure becomes an ApiError {status, code, message}.
 */
export class ApiClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  health(): Promise<Health> { return this.request('GET', '/api/health', Health); }
  me(): Promise<Me> { return this.request('GET', '/api/me', Me); }

  async tiers(): Promise<Tier[]> { return (await this.request('GET', '/api/container-tiers', TierList)).items; }
  defaultTier(): Promise<Tier> { return this.request('GET', '/api/container-tiers/default', Tier); }
  tier(id: string): Promise<Tier> { return this.request('GET', `/api/container-tiers/${encodeURIComponent(id)}`, Tier); }

  /** GET /api/activity: agent sessions across the user's projects, newest first (activityModel.ts). */
  activity(q: { status?: string[]; projectId?: string; limit?: number; cursor?: string } = {}): Promise<ActivityPage> {
    const params = new URLSearchParams();
    if (q.status?.length) params.set('status', q.status.join(','));
    if (q.projectId) params.set('projectId', q.projectId);
    if (q.limit) params.set('limit', String(q.limit));
    if (q.cursor) params.set('cursor', q.cursor);
    const qs = params.toString();
    return this.request('GET', `/api/activity${qs ? `?${qs}` : ''}`, ActivityPage);
  }

  /** The user's outgoing notification webhook (never its secret) and its delivery log. */
  async notificationWebhook(): Promise<NotificationWebhook | null> { return (await this.request('GET', '/api/notifications/webhook', NotificationWebhookState)).webhook; }
  putNotificationWebhook(body: { url: string; secret?: string | null; kinds: Array<'done' | 'failed' | 'needs-approval'> }): Promise<NotificationWebhook> {
    return this.request('PUT', '/api/notifications/webhook', NotificationWebhook, body);
  }
  async deleteNotificationWebhook(): Promise<void> { await this.request('DELETE', '/api/notifications/webhook', NoContent); }
  notificationDeliveries(): Promise<NotificationDeliveryList> { return this.request('GET', '/api/notifications/deliveries', NotificationDeliveryList); }

  /** Every project, following the pages of GET /api/projects (pickers; the Projects tree pages with projectsPage). */
  async projects(): Promise<Project[]> {
    const all: Project[] = [];
    let cursor: string | null = null;
    do {
      const page: ProjectList = await this.request('GET', `/api/projects?limit=${PROJECT_PAGE_MAX}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, ProjectList);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  /**
   * One page of GET /api/projects (newest first). With `etag` (an earlier first page's), `unchanged` when the
   * server answers 304: no project of the user changed since.
   */
  projectsPage(q: { cursor?: string; limit?: number; etag?: string } = {}): Promise<ProjectPage | { unchanged: true }> {
    const params = new URLSearchParams();
    if (q.limit) params.set('limit', String(q.limit));
    if (q.cursor) params.set('cursor', q.cursor);
    const path = `/api/projects${params.size ? `?${params.toString()}` : ''}`;
    return this.reported('GET', path, async () => {
      const answer = await this.exchange('GET', path, undefined, q.etag ? { 'If-None-Match': q.etag } : undefined);
      if (answer.status === 304) return { unchanged: true as const };
      return { ...decode(answer, ProjectList, { method: 'GET', path }), etag: answer.etag };
    });
  }
  project(id: string): Promise<Project> { return this.request('GET', `/api/projects/${encodeURIComponent(id)}`, Project); }
  createProject(body: ProjectCreate): Promise<Project> { return this.request('POST', '/api/projects', Project, body); }
  /** The runtimes a project can be created on (Create Project's runtime step). */
  async runtimes(): Promise<RuntimeInfo[]> { return (await this.request('GET', '/api/runtimes', RuntimeList)).items; }
  /** A tier change answers 409 unsynced_changes when work is not on GitHub, unless `ignoreUnsynced`. */
  updateProject(id: string, body: ProjectUpdate, opts: { ignoreUnsynced?: boolean } = {}): Promise<Project> {
    return this.request('PATCH', `/api/projects/${encodeURIComponent(id)}${opts.ignoreUnsynced ? '?ignoreUnsynced=true' : ''}`, Project, body);
  }
  /** Removes the project and its container; with `deleteVolumes` also its workspace (needs the slug as confirmation). */
  async deleteProject(id: string, opts: { deleteVolumes?: { slug: string }; ignoreUnsynced?: boolean } = {}): Promise<void> {
    const params = new URLSearchParams();
    if (opts.deleteVolumes) {
      params.set('deleteVolumes', 'true');
      params.set('confirm', opts.deleteVolumes.slug);
    }
    // Without it, work not on GitHub answers 409 unsynced_changes (sync/syncMessages.ts reads the details).
    if (opts.ignoreUnsynced) params.set('ignoreUnsynced', 'true');
    const query = params.size ? `?${params.toString()}` : '';
    await this.request('DELETE', `/api/projects/${encodeURIComponent(id)}${query}`, NoContent);
  }

  /** Container actions answer 202 with the operation; a second one while one runs gets 409 operation_in_progress. */
  deploy(id: string, force = false): Promise<Operation> {
    return this.request('POST', `${projectPath(id)}/deploy`, Operation, { force });
  }
  /** Change Tier… / Move to Runtime…: a force redeploy that keeps the workspace and the agent's sessions. */
  redeploy(id: string, body: ProjectRedeploy, opts: { ignoreUnsynced?: boolean } = {}): Promise<Operation> {
    return this.request('POST', `${projectPath(id)}/redeploy${opts.ignoreUnsynced ? '?ignoreUnsynced=true' : ''}`, Operation, body);
  }
  /** `idempotencyKey`: a queued Start/Stop sends the same key on every attempt (the API runs it once). */
  startProject(id: string, opts: { idempotencyKey?: string } = {}): Promise<Operation> {
    return this.request('POST', `${projectPath(id)}/start`, Operation, {}, keyHeader(opts.idempotencyKey));
  }
  stopProject(id: string, opts: { ignoreUnsynced?: boolean; idempotencyKey?: string } = {}): Promise<Operation> {
    const query = opts.ignoreUnsynced ? '?ignoreUnsynced=true' : '';
    return this.request('POST', `${projectPath(id)}/stop${query}`, Operation, {}, keyHeader(opts.idempotencyKey));
  }
  restartProject(id: string): Promise<Operation> { return this.request('POST', `${projectPath(id)}/restart`, Operation, {}); }
  cancelOperation(projectId: string, operationId: string): Promise<Operation> {
    return this.request('POST', `${projectPath(projectId)}/operations/${encodeURIComponent(operationId)}/cancel`, Operation, {});
  }
  /** Recent first. */
  async operations(projectId: string): Promise<Operation[]> {
    return (await this.request('GET', `${projectPath(projectId)}/operations`, OperationList)).items;
  }
  /** One page of the project's timeline, newest first (GET /api/projects/:id/timeline). */
  timeline(projectId: string, q: { cursor?: string | null; kinds?: TimelineKind[]; limit?: number }): Promise<TimelinePage> {
    const params = new URLSearchParams({ limit: String(q.limit ?? 50) });
    if (q.cursor) params.set('cursor', q.cursor);
    if (q.kinds?.length) params.set('kind', q.kinds.join(','));
    return this.request('GET', `${projectPath(projectId)}/timeline?${params.toString()}`, TimelinePage);
  }
  /** A one-use ticket (≤ 60 s) for the project's VNC websocket; the token itself never reaches a webview. */
  vncTicket(projectId: string): Promise<VncTicket> {
    return this.request('POST', `${projectPath(projectId)}/vnc/ticket`, VncTicket, {});
  }
  logs(projectId: string, tail = 200): Promise<LogLines> {
    return this.request('GET', `${projectPath(projectId)}/logs?tail=${tail}`, LogLines);
  }

  // ── The agent proxy (/api/projects/:id/opencode/...): opencode's own bodies, parsed loosely by the caller.

  /** GET/POST/PATCH/DELETE through the agent proxy; `schema` parses just what the caller uses. */
  agent<T>(projectId: string, method: string, path: string, schema: { parse(v: unknown): T }, body?: unknown, headers?: Record<string, string>): Promise<T> {
    return this.request(method, `${projectPath(projectId)}/opencode${path}`, schema, body, headers);
  }

  /** The path (relative to baseUrl) of the project's relayed agent event stream. */
  static agentEventPath(projectId: string): string {
    return `${projectPath(projectId)}/opencode/event`;
  }

  /** GET /api/providers: the catalog plus custom providers; `configured` filters to those with a credential. */
  providers(q: { q?: string; configured?: boolean } = {}): Promise<ProviderList> {
    const params = new URLSearchParams();
    if (q.q) params.set('q', q.q);
    if (q.configured !== undefined) params.set('configured', String(q.configured));
    const qs = params.toString();
    return this.request('GET', `/api/providers${qs ? `?${qs}` : ''}`, ProviderList);
  }
  async providerModels(providerId: string): Promise<ModelSummary[]> {
    return (await this.request('GET', `/api/providers/${encodeURIComponent(providerId)}/models`, ModelList)).items;
  }
  /** Stores an API key for a provider; the answer is metadata with a masked hint, never the key. */
  setCredential(providerId: string, key: string): Promise<CredentialMeta> {
    return this.request('POST', `/api/providers/${encodeURIComponent(providerId)}/credentials`, CredentialMeta, { type: 'api', key });
  }
  async deleteCredential(providerId: string): Promise<void> {
    await this.request('DELETE', `/api/providers/${encodeURIComponent(providerId)}/credentials`, NoContent);
  }
  /** POST /api/providers/:id/test: a cheap real call with the stored credential; verdict and latency. */
  testProvider(providerId: string): Promise<ConnectionTestResult> {
    return this.request('POST', `/api/providers/${encodeURIComponent(providerId)}/test`, ConnectionTestResult, {});
  }
  /** GitHub's device flow (github-copilot): the code to show; then poll deviceFlow() until it is over. */
  startDeviceFlow(providerId: string): Promise<DeviceFlowStart> {
    return this.request('POST', `/api/oauth/${encodeURIComponent(providerId)}/start`, DeviceFlowStart, {});
  }
  deviceFlow(providerId: string, flowId: string): Promise<DeviceFlowStatus> {
    return this.request('GET', `/api/oauth/${encodeURIComponent(providerId)}/${encodeURIComponent(flowId)}`, DeviceFlowStatus);
  }
  cancelDeviceFlow(providerId: string, flowId: string): Promise<DeviceFlowStatus> {
    return this.request('POST', `/api/oauth/${encodeURIComponent(providerId)}/${encodeURIComponent(flowId)}/cancel`, DeviceFlowStatus, {});
  }
  /** A browser sign-in (authorisation code + PKCE): the URL to open; the API keeps the verifier. */
  authorizeRedirect(providerId: string, redirectUri: string): Promise<RedirectAuthorize> {
    return this.request('POST', `/api/oauth/${encodeURIComponent(providerId)}/authorize`, RedirectAuthorize, { redirectUri });
  }
  completeRedirect(providerId: string, state: string, code: string): Promise<CredentialMeta> {
    return this.request('POST', `/api/oauth/${encodeURIComponent(providerId)}/callback`, CredentialMeta, { state, code });
  }
  async credentials(): Promise<CredentialMeta[]> { return (await this.request('GET', '/api/credentials', CredentialList)).items; }
  createCustomProvider(body: CustomProviderCreate): Promise<CustomProvider> {
    return this.request('POST', '/api/custom-providers', CustomProvider, body);
  }
  defaultModel(): Promise<DefaultModel> { return this.request('GET', '/api/me/default-model', DefaultModel); }
  setDefaultModel(choice: ModelChoice): Promise<DefaultModel> { return this.request('PUT', '/api/me/default-model', DefaultModel, choice); }
  projectModel(projectId: string): Promise<EffectiveModel> { return this.request('GET', `${projectPath(projectId)}/model`, EffectiveModel); }
  setProjectModel(projectId: string, body: ProjectModelUpdate): Promise<EffectiveModel> {
    return this.request('PUT', `${projectPath(projectId)}/model`, EffectiveModel, body);
  }

  // ── GitHub sync (issue #6): the status, and fetch/push/pull as operations followed like container ones.

  syncStatus(projectId: string): Promise<SyncStatus> { return this.request('GET', `${projectPath(projectId)}/sync`, SyncStatus); }
  async syncFetch(projectId: string): Promise<Operation> {
    return (await this.request('POST', `${projectPath(projectId)}/sync/fetch`, SyncOperationAccepted, {})).operation;
  }
  /** `force`: --force-with-lease against the last fetched upstream commit. */
  async syncPush(projectId: string, force = false): Promise<Operation> {
    return (await this.request('POST', `${projectPath(projectId)}/sync/push`, SyncOperationAccepted, { force })).operation;
  }
  async syncPull(projectId: string, body: { mode?: 'merge' | 'rebase'; dirty?: 'commit' | 'stash' | 'refuse'; onConflict?: 'abort' | 'keep' }): Promise<Operation> {
    return (await this.request('POST', `${projectPath(projectId)}/sync/pull`, SyncOperationAccepted, body)).operation;
  }
  /** One conflicting file's base, ours and theirs, read from the workspace now. */
  syncConflict(projectId: string, path: string): Promise<SyncConflictFile> {
    return this.request('GET', `${projectPath(projectId)}/sync/conflict?path=${encodeURIComponent(path)}`, SyncConflictFile);
  }
  /** Saves the merge editor's result of one conflicting file (marked resolved in the workspace). */
  async syncResolve(projectId: string, path: string, content: string): Promise<void> {
    await this.request('PUT', `${projectPath(projectId)}/sync/conflict`, NoContent, { path, content });
  }
  /** (Re)imports the project's repository into its workspace: Retry Import. */
  async syncImport(projectId: string): Promise<Operation> {
    return (await this.request('POST', `${projectPath(projectId)}/sync/import`, SyncOperationAccepted, {})).operation;
  }
  /** The token for `host` (default github.com) and every host that has one. */
  githubCredential(host?: string): Promise<GithubCredentialInfo> {
    return this.request('GET', `/api/github/credential${host ? `?host=${encodeURIComponent(host)}` : ''}`, GithubCredentialInfo);
  }
  /** The token goes to the API and nowhere else; the answer is metadata with a masked hint. */
  setGithubCredential(token: string, host?: string): Promise<GithubCredentialInfo> {
    return this.request('PUT', '/api/github/credential', GithubCredentialInfo, { token, ...(host ? { host } : {}) });
  }
  /** Removes the token of `host`, or every token without one. */
  async deleteGithubCredential(host?: string): Promise<void> {
    await this.request('DELETE', `/api/github/credential${host ? `?host=${encodeURIComponent(host)}` : ''}`, NoContent);
  }

  // ── A project's workspace files (the `hangar:` file system, extension/agentFiles).
  fileStat(projectId: string, path: string): Promise<WorkspaceStat> {
    return this.request('GET', `${projectPath(projectId)}/files/stat?path=${encodeURIComponent(path)}`, WorkspaceStat);
  }
  fileList(projectId: string, path: string): Promise<WorkspaceDirectory> {
    return this.request('GET', `${projectPath(projectId)}/files/list?path=${encodeURIComponent(path)}`, WorkspaceDirectory);
  }
  fileRead(projectId: string, path: string): Promise<WorkspaceFileContent> {
    return this.request('GET', `${projectPath(projectId)}/files/content?path=${encodeURIComponent(path)}`, WorkspaceFileContent);
  }
  async fileWrite(projectId: string, body: { path: string; content: string; create: boolean; overwrite: boolean }): Promise<void> {
    await this.request('PUT', `${projectPath(projectId)}/files/content`, NoContent, body);
  }
  async fileMkdir(projectId: string, path: string): Promise<void> {
    await this.request('POST', `${projectPath(projectId)}/files/directory`, NoContent, { path });
  }
  async fileDelete(projectId: string, path: string, recursive: boolean): Promise<void> {
    await this.request('DELETE', `${projectPath(projectId)}/files?path=${encodeURIComponent(path)}&recursive=${recursive}`, NoContent);
  }
  async fileRename(projectId: string, from: string, to: string, overwrite: boolean): Promise<void> {
    await this.request('POST', `${projectPath(projectId)}/files/rename`, NoContent, { from, to, overwrite });
  }

  // ── Settings (#15): server-side settings, OpenCode permissions, export/import.
  settings(): Promise<ServerSettings> { return this.request('GET', '/api/settings', ServerSettings); }
  updateSettings(body: ServerSettingsUpdate): Promise<ServerSettings> { return this.request('PUT', '/api/settings', ServerSettings, body); }
  projectPermissions(projectId: string): Promise<EffectivePermissions> {
    return this.request('GET', `${projectPath(projectId)}/permissions`, EffectivePermissions);
  }
  setProjectPermissions(projectId: string, body: PermissionSettings): Promise<EffectivePermissions> {
    return this.request('PUT', `${projectPath(projectId)}/permissions`, EffectivePermissions, body);
  }
  /** The passphrase travels to the API only, which seals the secrets with it (scrypt + AES-256-GCM). */
  exportSettings(includeSecrets: boolean, passphrase?: string): Promise<SettingsExport> {
    return this.request('POST', '/api/settings/export', SettingsExport, { includeSecrets, ...(passphrase ? { passphrase } : {}) });
  }
  previewSettingsImport(file: unknown, passphrase?: string): Promise<ImportPreview> {
    return this.request('POST', '/api/settings/import/preview', ImportPreview, { file, ...(passphrase ? { passphrase } : {}) });
  }
  importSettings(file: unknown, passphrase?: string): Promise<ImportReport> {
    return this.request('POST', '/api/settings/import', ImportReport, { file, ...(passphrase ? { passphrase } : {}) });
  }

  private request<T>(
    method: string, path: string, schema: { parse(v: unknown): T }, body?: unknown, extra?: Record<string, string>,
  ): Promise<T> {
    return this.reported(method, path, async () => decode(await this.exchange(method, path, body, extra), schema, { method, path }));
  }

  /** Runs one request; a failure becomes an ApiError, is reported to onFailure and thrown. */
  private async reported<T>(method: string, path: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, 'network_error', String(e), { method, path });
      this.options.onFailure?.({ method, path, status: err.status, code: err.code, message: err.message });
      throw err;
    }
  }

  /** The HTTP exchange: the status, the body text and the ETag; a timeout or network failure throws. */
  private async exchange(method: string, path: string, body?: unknown, extra?: Record<string, string>): Promise<Answer> {
    const context = { method, path };
    // `extra` is Idempotency-Key (the outbox's) or If-None-Match; it never overrides auth or content headers.
    const headers: Record<string, string> = { ...extra, Accept: 'application/json' };
    if (this.options.token) headers.Authorization = `Bearer ${this.options.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.timeoutMs);
    try {
      const res = await this.options.fetch(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: abort.signal,
      });
      return { status: res.status, text: await res.text(), etag: res.headers.get('etag') };
    } catch (e) {
      if (abort.signal.aborted) throw new ApiError(0, 'timeout', `no answer within ${this.timeoutMs} ms`, context);
      throw new ApiError(0, 'network_error', networkMessage(e), context);
    } finally {
      clearTimeout(timer);
    }
  }
}

interface Answer { status: number; text: string; etag: string | null }

/** One page of projects as projectsPage returns it, with the ETag to send next time. */
export type ProjectPage = ProjectList & { etag: string | null };

/** An answer as the schema's value, or the ApiError it stands for. */
function decode<T>(answer: Answer, schema: { parse(v: unknown): T }, context: { method: string; path: string }): T {
  const { status, text } = answer;
  if (status < 200 || status >= 300) throw errorFromBody(status, text, context);
  if (status === 204 || (schema as unknown) === NoContent) return schema.parse(undefined);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError(status, 'invalid_response', 'the server answered with something other than JSON', context);
  }
  try {
    return schema.parse(json);
  } catch (e) {
    throw new ApiError(status, 'invalid_response', `the response does not match the contract: ${zodSummary(e)}`, context);
  }
}

/** The Idempotency-Key header of an outbox item's request, or none. */
function keyHeader(key: string | undefined): Record<string, string> | undefined {
  return key ? { [IDEMPOTENCY_HEADER]: key } : undefined;
}

function projectPath(id: string): string {
  return `/api/projects/${encodeURIComponent(id)}`;
}

function errorFromBody(status: number, text: string, context: { method: string; path: string }): ApiError {
  let parsed: z.infer<typeof ErrorBody> | undefined;
  try {
    const r = ErrorBody.safeParse(JSON.parse(text));
    if (r.success) parsed = r.data;
  } catch {
    // Not JSON (a proxy's HTML error page, say): fall through to a generic error.
  }
  if (parsed) return new ApiError(status, parsed.error.code, parsed.error.message, context, parsed.error.details);
  return new ApiError(status, status === 401 ? 'unauthorised' : `http_${status}`, `HTTP ${status} without an error body`, context);
}

/** Node's fetch hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`. */
export function networkMessage(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as Error & { code?: string }).code;
      return code ? `${code}: ${cause.message}` : cause.message;
    }
    return e.message;
  }
  return String(e);
}

function zodSummary(e: unknown): string {
  const issues = (e as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues;
  if (!issues?.length) return String(e);
  return issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}
