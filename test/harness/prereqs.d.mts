export declare const SETUP_DEBIAN: string;
export declare function ensureDebianPackages(opts?: {
  log?: (line: string) => void;
  script?: string;
  env?: NodeJS.ProcessEnv;
}): { installed: boolean };
