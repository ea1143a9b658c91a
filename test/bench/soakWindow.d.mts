export interface SoakWindow {
  pid: number;
  sample(): { rssMb: number; fds: number };
  close(): Promise<void>;
}
export declare function openSoakWindow(o: { apiUrl: string; token: string; log?: (line: string) => void }): Promise<SoakWindow>;
