import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A root filesystem made of this machine's own files: image path → host file, image path → link
 * target, and generated files (image path → content). What the local image route builds FROM scratch.
 */
export interface RootfsPlan {
  files: Map<string, string>;
  links: Map<string, string>;
  generated: Map<string, { content: string; mode?: number }>;
  /** Extra directories to create (empty ones the image needs). */
  dirs: string[];
  dockerfile: string;
  /** For logs: what went in, like "312 files (busybox shell)". */
  summary: string;
}

/** The executable's absolute path on PATH, or null. */
export function which(cmd: string, searchPath = process.env.PATH ?? '/usr/bin:/bin'): string | null {
  for (const dir of searchPath.split(':')) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // next
    }
  }
  return null;
}

export function isElf(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(4);
    fs.readSync(fd, b, 0, 4, 0);
    return b.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } finally {
    fs.closeSync(fd);
  }
}

/** Shared libraries (and the loader) an ELF needs, as absolute paths; none for static binaries. */
export function libsOf(file: string): string[] {
  let out: string;
  try {
    out = execFileSync('ldd', [file], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch {
    return [];
  }
  const libs: string[] = [];
  for (const line of out.split('\n')) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m?.[1]) libs.push(m[1]);
  }
  return libs;
}

/** Adds a host file, remembering ELF files so their libraries can be added by addLibraries. */
export class PlanBuilder {
  readonly plan: RootfsPlan;
  private readonly elves: string[] = [];
  constructor(dockerfile: string) {
    this.plan = { files: new Map(), links: new Map(), generated: new Map(), dirs: [], dockerfile, summary: '' };
  }
  add(dest: string, src: string): void {
    this.plan.files.set(dest, src);
    if (isElf(src)) this.elves.push(src);
  }
  /** A host folder's files and symlinks under `to`. */
  tree(from: string, to: string, add = false): void {
    for (const entry of fs.readdirSync(from, { recursive: true, withFileTypes: true })) {
      const full = path.join(entry.parentPath, entry.name);
      const dest = path.join(to, path.relative(from, full));
      if (entry.isSymbolicLink()) this.plan.links.set(dest, fs.readlinkSync(full));
      else if (entry.isFile()) {
        if (add) this.add(dest, full);
        else this.plan.files.set(dest, full);
      }
    }
  }
  addLibraries(): void {
    for (const lib of new Set(this.elves.flatMap(libsOf))) this.plan.files.set(lib, lib);
  }
}

function hashFile(h: crypto.Hash, file: string): void {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(8 << 20);
  try {
    let n;
    while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
}

/** 16 hex digits over everything that goes into the image: same content, same tag. */
export function contentHash(plan: RootfsPlan): string {
  const h = crypto.createHash('sha256');
  h.update(plan.dockerfile);
  for (const dest of [...plan.files.keys()].sort()) {
    const src = plan.files.get(dest)!;
    h.update(`\0file ${dest} ${fs.statSync(src).mode & 0o777}\0`);
    hashFile(h, src);
  }
  for (const dest of [...plan.links.keys()].sort()) h.update(`\0link ${dest} ${plan.links.get(dest)}\0`);
  for (const dest of [...plan.generated.keys()].sort()) h.update(`\0generated ${dest}\0${plan.generated.get(dest)!.content}`);
  for (const d of [...plan.dirs].sort()) h.update(`\0dir ${d}`);
  return h.digest('hex').slice(0, 16);
}

/** Writes `dir/Dockerfile` and `dir/rootfs/` (hard links where possible) for a `docker build`. */
export function writeContext(plan: RootfsPlan, dir: string): void {
  const root = path.join(dir, 'rootfs');
  for (const d of ['tmp', 'home/hangar', 'workspace', 'etc', 'bin', 'usr/bin', 'usr/local/bin', ...plan.dirs]) fs.mkdirSync(path.join(root, d), { recursive: true });
  for (const [dest, src] of plan.files) {
    const to = path.join(root, dest);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    const real = fs.realpathSync(src);
    try {
      fs.linkSync(real, to);
    } catch {
      fs.copyFileSync(real, to, fs.constants.COPYFILE_FICLONE);
    }
  }
  for (const [dest, target] of plan.links) {
    const to = path.join(root, dest);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (!fs.existsSync(to)) fs.symlinkSync(target, to);
  }
  for (const [dest, { content, mode }] of plan.generated) {
    const to = path.join(root, dest);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, content, mode === undefined ? {} : { mode });
  }
  fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nhangar:x:1000:1000:hangar:/home/hangar:/bin/sh\n');
  fs.writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\nhangar:x:1000:\n');
  fs.writeFileSync(path.join(dir, 'Dockerfile'), plan.dockerfile);
}
