import fs from 'node:fs';
import type { DeploySpec } from '../driver';
import type { SecretBox } from '../secretBox';
import { projectPaths } from './paths';

/** What a local agent is started with, kept sealed in spec.sealed so a start after an API restart has it. */
export interface StoredSpec {
  slug: string;
  tier: DeploySpec['tier'];
  env: Record<string, string>;
}

/** Reads and writes each project's sealed spec (it holds the server password). */
export class SpecStore {
  constructor(private readonly root: string, private readonly box: SecretBox) {}

  read(projectId: string): StoredSpec | undefined {
    const file = projectPaths(this.root, projectId).specFile;
    if (!fs.existsSync(file)) return undefined;
    return JSON.parse(this.box.open(fs.readFileSync(file, 'utf8').trim(), specContext(projectId))) as StoredSpec;
  }

  write(projectId: string, spec: StoredSpec): void {
    fs.writeFileSync(projectPaths(this.root, projectId).specFile, this.box.seal(JSON.stringify(spec), specContext(projectId)), { mode: 0o600 });
  }
}

function specContext(projectId: string): string {
  return `local-spec:${projectId}`;
}

/** Equal when what the process is started with is equal (not tier names, counts or times). */
export function sameSpec(a: StoredSpec, b: StoredSpec): boolean {
  const key = (s: StoredSpec) => {
    const { cpus, memory, memoryReservation, storageGb, hasDesktopAccess, imageType, exposedPorts } = s.tier;
    return JSON.stringify([cpus, memory, memoryReservation, storageGb, hasDesktopAccess, imageType, exposedPorts, Object.entries(s.env).sort()]);
  };
  return key(a) === key(b);
}
