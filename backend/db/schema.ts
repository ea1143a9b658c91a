import type { Generated } from 'kysely';

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
}

export interface Database {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  container_tiers: ContainerTiersTable;
  projects: ProjectsTable;
}
