export interface FaultStats { connections: number; midRequest: number; lostAnswer: number; midStream: number; stalls: number; resets: number }
export type RequestMatch = (method: string, path: string) => boolean;
export interface FaultProxy {
  url: string;
  stats: FaultStats;
  connections(): unknown[];
  armMidRequest(match: RequestMatch, fraction?: number): Promise<void>;
  armLostAnswer(match: RequestMatch): Promise<void>;
  cutStream(rng?: () => number): boolean;
  stall(ms: number, rng?: () => number): boolean;
  reset(rng?: () => number): boolean;
  disarm(): void;
  close(): Promise<void>;
}
export declare function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy>;
