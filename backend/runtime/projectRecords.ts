import type { ProjectStatus, Tier } from '../contract';
import type { ProjectRow } from '../db/schema';

/** What the runtime reports about a project; only the given fields change. */
export interface RuntimePatch {
  status?: ProjectStatus;
  reason?: string | null;
  agentUrl?: string | null;
  vncUrl?: string | null;
  instanceId?: string | null;
  runtimeNotes?: string[];
}

export interface ProjectSecrets {
  opencodePassword: string;
  webhookSecret: string;
}

/**
 * How a patch reaches the project's status authority (backend/services/projectStatusAuthority.ts):
 * `observed` is what the status monitor saw on its own, and is dropped while an operation
 * (deploy, start, stop, …) owns the project's status.
 */
export interface ApplyOptions {
  observed?: boolean;
}

/**
 * The projects as the runtime side sees them (lifecycle, status monitor, reconciliation): a narrow
 * view of backend/services/projects.ts, so backend/runtime never imports backend/services.
 */
export interface ProjectRecords {
  rowById(id: string): Promise<ProjectRow | undefined>;
  allRows(): Promise<ProjectRow[]>;
  secrets(id: string): Promise<ProjectSecrets>;
  /** A deploy from a warm pool: the project takes the pooled agent's password (sealed, replacing its own). */
  adoptOpencodePassword(id: string, password: string): Promise<void>;
  /** Records what the runtime says; the only way a project's status changes. */
  applyRuntime(id: string, patch: RuntimePatch, options?: ApplyOptions): Promise<unknown>;
}

/** The container tiers as the lifecycle needs them. */
export interface TierLookup {
  get(id: string): Promise<Tier>;
}
