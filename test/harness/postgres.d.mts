export declare const PG_ROOT: string;
export declare function onPostgres(): boolean;
export declare function postgresBinDir(): string | null;
export interface Postgres {
  port: number;
  startedHere: boolean;
  /** A URL of the cluster's superuser to `db` (default `postgres`). */
  url(db?: string): string;
  stop(): Promise<void>;
}
export declare function startPostgres(opts?: { log?: (line: string) => void }): Promise<Postgres>;
export declare function requirePostgres(opts?: { log?: (line: string) => void }): Promise<Postgres | null>;
export declare function stopClusterSync(): void;
export declare function databaseNameFor(dataDir: string): string;
export declare function databaseUrlFor(dataDir: string): Promise<string>;
export declare function testDatabaseEnv(dataDir: string): Promise<{ HANGAR_DATABASE_URL?: string }>;
export declare function testDatabaseConfig(dataDir: string, file?: string): Promise<{ kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string }>;
