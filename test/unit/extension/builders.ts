import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HangarEvent, Operation, Project, Tier } from '../../../backend/contract';

export function aProject(over: Partial<Project> = {}): Project {
  return {
    id: 'p1', name: 'alpha', slug: 'alpha', tierId: 'standard', providerOverride: null, repository: null,
    status: 'not_deployed', statusReason: null, runtime: 'local', urls: { agent: null, vnc: null }, runtimeNotes: [],
    createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z',
    ...over,
  };
}

export function aTier(over: Partial<Tier> = {}): Tier {
  return {
    id: 'standard', name: 'Standard', description: 'Everyday work', cpus: 2, memory: '4g', memoryReservation: '2g',
    storageGb: 30, hasDesktopAccess: false, imageType: 'cli', exposedPorts: '4096', isDefault: false, retired: false,
    projectCount: 0, createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z',
    ...over,
  };
}

let nextId = 1;
export function anEvent<T extends HangarEvent['type']>(type: T, data: Extract<HangarEvent, { type: T }>['data'], id = nextId++): HangarEvent {
  return { id, at: '2025-01-01T00:00:00.000Z', type, data } as HangarEvent;
}

/** One SSE frame as the server writes it. */
export function sseFrame(e: HangarEvent): string {
  return `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
}

export interface TestServer {
  url: string;
  requests: http.IncomingMessage[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 with a handler per test; close() also cuts open streams. */
export async function startServer(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<TestServer> {
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A Timers whose time moves only when the test says so. */
export class FakeClock {
  private t = 0;
  private seq = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.seq++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (handle: unknown): void => { this.timers.delete(handle as number); };
  now = (): number => this.t;

  /** Runs every timer due within `ms`, in order (timers they set run too if due). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
  }

  get pending(): number { return this.timers.size; }
  /** Delays of the pending timers from now. */
  delays(): number[] { return [...this.timers.values()].map((x) => x.at - this.t).sort((a, b) => a - b); }
}

export function anOperation(over: Partial<Operation> = {}): Operation {
  return {
    id: 'op1', projectId: 'p1', kind: 'deploy', force: false, state: 'queued', steps: [], error: null, cancellable: true,
    createdAt: '2025-01-01T00:00:00.000Z', startedAt: null, finishedAt: null,
    ...over,
  };
}

export function aStep(message: string): Operation['steps'][number] {
  return { at: '2025-01-01T00:00:01.000Z', message };
}
