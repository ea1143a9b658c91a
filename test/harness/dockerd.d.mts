export declare const DOCKER_ROOT: string;
export interface Dockerd {
  dockerHost: string;
  startedHere: boolean;
  stop(): Promise<void>;
}
export declare function ping(dockerHost: string, timeoutMs?: number): Promise<boolean>;
export declare function startDockerd(opts?: { log?: (line: string) => void }): Promise<Dockerd>;
export declare function requireDockerd(opts?: { log?: (line: string) => void }): Promise<Dockerd | null>;
export declare function stopDockerd(): Promise<void>;
