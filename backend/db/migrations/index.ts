import type { Migration, MigrationProvider } from 'kysely/migration';
import { m0001Initial } from './0001-initial';
import { m0002OperationsAndRuntime } from './0002-operations-and-runtime';
import { m0003RuntimeSettings } from './0003-runtime-settings';
import { m0004Providers } from './0004-providers';
import { m0005Activity } from './0005-activity';
import { m0006Sync } from './0006-sync';
import { m0007Oauth } from './0007-oauth';
import { m0008Notify } from './0008-notify';
import { m0009GithubTokensPerHost } from './0009-github-tokens-per-host';
import { m0010IdempotencyKeys } from './0010-idempotency-keys';
import { m0011Settings } from './0011-settings';
import { m0013PostgresInsertionOrder } from './0013-postgres-insertion-order';
import { m0014SharedEvents } from './0014-shared-events';
import { m0015ReplicaLeases } from './0015-replica-leases';
import { m0017ProjectListVersions } from './0017-project-list-versions';
import { m0019ProjectTimeline } from './0019-project-timeline';

/**
 * Versioned migrations, applied in name order at start-up (Kysely sorts the names). Never edit one
 * that has shipped: add the next number instead, as its own file <NNNN-name>.ts here, and one line
 * below. Each runs on SQLite and on PostgreSQL: write them with the schema builder, and where the two
 * differ ask backend/db/dialect.ts (the SQL SQLite runs stays the same).
 */
const migrations: Record<string, Migration> = {
  '0001_initial': m0001Initial,
  '0002_operations_and_runtime': m0002OperationsAndRuntime,
  '0003_runtime_settings': m0003RuntimeSettings,
  '0004_providers': m0004Providers,
  '0005_activity': m0005Activity,
  '0006_sync': m0006Sync,
  '0007_oauth': m0007Oauth,
  '0008_notify': m0008Notify,
  '0009_github_tokens_per_host': m0009GithubTokensPerHost,
  '0010_idempotency_keys': m0010IdempotencyKeys,
  '0011_settings': m0011Settings,
  '0013_postgres_insertion_order': m0013PostgresInsertionOrder,
  '0014_shared_events': m0014SharedEvents,
  '0015_replica_leases': m0015ReplicaLeases,
  '0017_project_list_versions': m0017ProjectListVersions,
  '0019_project_timeline': m0019ProjectTimeline,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
