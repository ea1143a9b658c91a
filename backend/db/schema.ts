import type { Generated, Selectable } from 'kysely';

/** Row shapes as stored; booleans are 0/1 integers, times ISO strings. */
export interface UsersTable {
  id: string;
  username: string;
  role: 'admin' | 'user';
  created_at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ContainerTiersTable {
  id: string;
  name: string;
  description: string;
  cpus: number;
  memory: string;
  memory_reservation: string;
  storage_gb: number;
  has_desktop_access: number;
  image_type: 'cli' | 'desktop';
  exposed_ports: string;
  is_default: number;
  retired: number;
  sort_order: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ProjectsTable {
  id: string;
  owner_id: string;
  name: string;
  slug: string;
  tier_id: string;
  provider_override: string | null;
  repo_url: string | null;
  repo_branch: string | null;
  sync_enabled: number;
  sync_direction: 'push' | 'pull' | 'both';
  status: string;
  status_reason: string | null;
  runtime: string;
  agent_url: string | null;
  vnc_url: string | null;
  created_at: string;
  updated_at: string;
  /** SecretBox-sealed; null for projects created before 0002 (filled on first deploy). */
  opencode_password_enc: string | null;
  webhook_secret_enc: string | null;
  instance_id: string | null;
  /** JSON array of strings: limits the runtime could not enforce. */
  runtime_notes: Generated<string>;
}

export interface OperationsTable {
  id: string;
  project_id: string;
  owner_id: string;
  kind: 'deploy' | 'start' | 'stop' | 'restart' | 'delete' | 'fetch' | 'push' | 'pull' | 'import';
  force: number;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  /** JSON array of {at, message}. */
  steps: string;
  error: string | null;
  cancellable: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** 0015: the replica that runs it (null: finished, or written before 0015). */
  replica_id: string | null;
  /** 0015: epoch ms of that replica's last renewal; older than the lease → the replica is dead. */
  heartbeat_at: number | null;
  /** 0015: 1 once a user asked another replica to cancel it (operationLeases.ts hands it to the runner). */
  cancel_requested: Generated<number>;
}

export interface Database {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  container_tiers: ContainerTiersTable;
  projects: ProjectsTable;
  operations: OperationsTable;
  runtime_settings: RuntimeSettingsTable;
  activity: ActivityTable;
  catalog_cache: CatalogCacheTable;
  provider_credentials: ProviderCredentialsTable;
  custom_providers: CustomProvidersTable;
  user_model_defaults: UserModelDefaultsTable;
  project_models: ProjectModelsTable;
  project_sync: ProjectSyncTable;
  github_credentials: GithubCredentialsTable;
  oauth_flows: OAuthFlowsTable;
  webhook_replays: WebhookReplaysTable;
  notification_webhooks: NotificationWebhooksTable;
  notification_deliveries: NotificationDeliveriesTable;
  idempotency_keys: IdempotencyKeysTable;
  user_settings: UserSettingsTable;
  project_permissions: ProjectPermissionsTable;
  events: EventsTable;
  job_leases: JobLeasesTable;
  project_list_versions: ProjectListVersionsTable;
  project_timeline: ProjectTimelineTable;
}

/** 0014 (PostgreSQL only): one /api/events event; the identity id is its SSE id. `data` is JSON. */
export interface EventsTable {
  id: Generated<number>;
  user_id: string;
  type: string;
  data: string;
  at: string;
}

/** 0015: who runs a background job now (backend/jobs/jobLeases.ts); epoch ms. */
export interface JobLeasesTable {
  name: string;
  owner: string;
  expires_at: number;
  acquired_at: number;
}

/** One opencode session (migration 0005_activity); times ISO strings. */
export interface ActivityTable {
  project_id: string;
  session_id: string;
  owner_id: string;
  parent_session_id: string | null;
  title: string;
  status: 'idle' | 'running' | 'waiting_for_permission' | 'complete' | 'error';
  started_at: string;
  updated_at: string;
  running_since: string | null;
  busy_ms: number;
  excerpt: string | null;
  error: string | null;
  files_changed: number | null;
  /** JSON array of the permission request ids still unanswered. */
  pending_permissions: string;
}

/** Server-wide runtime settings that are secrets (the Coolify token): sealed by SecretBox. */
export interface RuntimeSettingsTable {
  key: string;
  value_encrypted: string;
  updated_at: string;
}

/** 0004: the last good models.dev catalog. */
export interface CatalogCacheTable {
  key: string;
  url: string;
  body: string;
  etag: string | null;
  fetched_at: string;
}

/** 0004: one credential per user and provider; `secret_enc` is SecretBox-sealed JSON in opencode's auth shape. */
export interface ProviderCredentialsTable {
  user_id: string;
  provider_id: string;
  type: 'api' | 'oauth';
  secret_enc: string;
  hint: string;
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  /** 0007: 'needs_sign_in' after a failed refresh (status_reason says why). */
  status: Generated<'ok' | 'needs_sign_in'>;
  status_reason: string | null;
}

/** 0007: a provider sign-in in progress (backend/oauth); `secret_enc` seals the device code or PKCE verifier. */
export interface OAuthFlowsTable {
  id: string;
  user_id: string;
  provider_id: string;
  kind: 'device' | 'redirect';
  status: 'pending' | 'complete' | 'expired' | 'denied' | 'cancelled' | 'error';
  user_code: string | null;
  verification_uri: string | null;
  interval_s: number;
  slow_downs: number;
  state_hash: string | null;
  redirect_uri: string | null;
  secret_enc: string | null;
  error: string | null;
  expires_at: string;
  created_at: string;
  updated_at: string;
}

/** 0004: a user's OpenAI-compatible endpoints; `models` is JSON [{id, name, context, output}]. */
export interface CustomProvidersTable {
  user_id: string;
  id: string;
  name: string;
  base_url: string;
  models: string;
  created_at: string;
  updated_at: string;
}

export interface UserModelDefaultsTable {
  user_id: string;
  provider_id: string;
  model_id: string;
  updated_at: string;
}

export interface ProjectModelsTable {
  project_id: string;
  model_id: string;
  updated_at: string;
}

/** 0008: webhook signatures seen recently (replay protection); expires_at in epoch ms. */
export interface WebhookReplaysTable {
  signature: string;
  expires_at: number;
}

/** 0008: a user's outgoing notification webhook; `kinds` is a JSON array, `secret_enc` SecretBox-sealed. */
export interface NotificationWebhooksTable {
  user_id: string;
  url: string;
  secret_enc: string | null;
  kinds: string;
  created_at: string;
  updated_at: string;
}

/** 0008: one notification sent (or to send) to the user's webhook; next_attempt_at in epoch ms. */
export interface NotificationDeliveriesTable {
  id: string;
  user_id: string;
  kind: 'done' | 'failed' | 'needs-approval';
  project_id: string;
  project_name: string;
  session_id: string;
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  status_code: number | null;
  attempts: number;
  error: string | null;
  next_attempt_at: number | null;
  created_at: string;
  updated_at: string;
}

/** 0006: a project's GitHub sync bookkeeping (backend/sync). */
export interface ProjectSyncTable {
  project_id: string;
  last_fetch_at: string | null;
  /** The upstream commit seen by the last fetch: the lease of the next force push. */
  last_fetched_sha: string | null;
  last_sync_at: string | null;
  last_sync_direction: 'push' | 'pull' | null;
  imported_at: string | null;
  pull_mode: Generated<'merge' | 'rebase'>;
  last_error: string | null;
  updated_at: string;
}

/** 0006: one GitHub token per user, sealed by SecretBox (context user:<id>:github). */
export interface GithubCredentialsTable {
  user_id: string;
  host: string;
  token_enc: string;
  hint: string;
  login: string | null;
  created_at: string;
  updated_at: string;
}

/** 0011: a user's server-side settings (backend/settings); `permissions` is PermissionSettings as JSON. */
export interface UserSettingsTable {
  user_id: string;
  permissions: string;
  sync_pull_mode: 'merge' | 'rebase';
  updated_at: string;
}

/** 0011: a project's permission override (PermissionSettings as JSON). */
export interface ProjectPermissionsTable {
  project_id: string;
  permissions: string;
  updated_at: string;
}

export type ProjectRow = Selectable<ProjectsTable>;
export type OperationRow = Selectable<OperationsTable>;
export type ActivityRow = Selectable<ActivityTable>;

/** 0010: the first successful answer to a POST sent with an Idempotency-Key (backend/http/idempotency.ts). */
export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  /** sha256 of method, path and body: the same key with another request is refused. */
  fingerprint: string;
  state: 'pending' | 'done';
  status: number | null;
  content_type: string | null;
  body: string | null;
  /** ISO time until which a pending row belongs to the request that wrote it. */
  locked_until: string;
  created_at: string;
}

/** 0017: the tag of each owner's project list, renewed by triggers on every change (the list's ETag). */
export interface ProjectListVersionsTable {
  owner_id: string;
  tag: string;
}

/** 0019: one entry of a project's timeline (backend/timeline); `at` is epoch milliseconds. */
export interface ProjectTimelineTable {
  id: string;
  project_id: string;
  kind: string;
  actor: string;
  outcome: string;
  detail: string | null;
  at: number;
}
