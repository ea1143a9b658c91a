import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { writeContext, type RootfsPlan } from './hostFiles';

export type Log = (line: string) => void;

interface BuildOptions {
  dockerfile?: string;
  buildargs?: Record<string, string>;
  labels?: Record<string, string>;
  log: Log;
}

/** `docker build -t tag dir` through the engine API (the context streamed as a tar of dir). */
export async function buildFromDirectory(docker: Docker, dir: string, tag: string, o: BuildOptions): Promise<void> {
  const tar = spawn('tar', ['--warning=no-file-changed', '-C', dir, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stream = await docker.buildImage(tar.stdout, {
    t: tag, rm: true, forcerm: true,
    ...(o.dockerfile ? { dockerfile: o.dockerfile } : {}),
    ...(o.buildargs ? { buildargs: o.buildargs } : {}),
    ...(o.labels ? { labels: o.labels } : {}),
  });
  type Progress = { stream?: string; error?: string; errorDetail?: { message?: string } };
  const output = await new Promise<Progress[]>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, res: Progress[]) => (err ? reject(err) : resolve(res)), (p: Progress) => {
      const line = p.stream?.trimEnd();
      if (line && /^Step \d+\/\d+ :/.test(line)) o.log(line);
    });
  });
  const failed = output.find((p) => p.error || p.errorDetail);
  if (failed) throw new Error(`building ${tag} failed: ${failed.error ?? failed.errorDetail?.message ?? 'unknown error'}`);
}

/** Builds `tag` from a rootfs plan in a temporary context folder (removed afterwards). */
export async function buildFromPlan(docker: Docker, plan: RootfsPlan, tag: string, o: { log: Log; prefix?: string; labels?: Record<string, string> }): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), o.prefix ?? 'hangar-image-'));
  try {
    writeContext(plan, dir);
    o.log(`building ${tag} from ${plan.summary}`);
    await buildFromDirectory(docker, dir, tag, { log: o.log, ...(o.labels ? { labels: o.labels } : {}) });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** True when the engine has an image with this tag. */
export async function imageExists(docker: Docker, tag: string): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}
