export declare const NODE_VERSION: string;
export declare const TOOL_NODE_VERSION: string;
export declare const CODE_SERVER_VERSION: string;
export declare function cacheDir(): string;
export declare function cleanInstallEnv(
  env?: NodeJS.ProcessEnv,
  opts?: { prependPath?: string[]; set?: Record<string, string> },
): Record<string, string>;
export declare function ensureNode(opts?: { log?: (line: string) => void; version?: string }): Promise<{ node24: string; nodeHome: string }>;
export declare function stepLog(step: string, dir?: string): string;
export declare function run(
  step: string, cmd: string, args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv },
  log: (line: string) => void,
): Promise<void>;
