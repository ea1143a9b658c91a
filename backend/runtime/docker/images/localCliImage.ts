import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PlanBuilder, libsOf, which, type RootfsPlan } from './hostFiles';

/** What the cli image holds that comes from Hangar itself rather than the machine's packages. */
export interface CliImageSources {
  /** The opencode executable (the pinned opencode-ai package's binary). */
  opencode: string;
  opencodeVersion: string;
  /** media/images/cli/entrypoint.sh */
  entrypoint: string;
  /** media/opencode-plugin/hangar-webhook.js */
  plugin: string;
  /** 'bash' forces the bash fallback (machines without busybox-static). */
  shell?: 'busybox' | 'bash';
}

const OPENCODE_CONFIG = '/home/hangar/.config/opencode';

// The rootfs is owned by root in the context; one RUN fixes the few modes and owners.
export const LOCAL_CLI_DOCKERFILE = `FROM scratch
COPY rootfs/ /
RUN ["/bin/sh", "-c", "chmod 1777 /tmp && chown -R 1000:1000 /home/hangar /workspace"]
ENV PATH=/usr/local/bin:/usr/bin:/bin \\
    HOME=/home/hangar \\
    OPENCODE_DISABLE_AUTOUPDATE=1 \\
    OPENCODE_DISABLE_LSP_DOWNLOAD=1
LABEL dev.hangar.image-route="local"
USER hangar
WORKDIR /workspace
VOLUME ["/workspace"]
EXPOSE 4096
ENTRYPOINT ["/usr/local/bin/hangar-entrypoint"]
`;

/**
 * media/images/cli built FROM scratch out of this machine's own binaries (no registry needed): the
 * pinned opencode binary, git (+ git-core), ripgrep and busybox-static (or bash) for a shell, each
 * with the libraries `ldd` lists. Same layout, entrypoint, plugin, user (uid 1000) and /workspace as
 * the Dockerfile's image. Throws naming the Debian packages to install when something is missing.
 */
export function planLocalCliImage(src: CliImageSources): RootfsPlan {
  const missing: string[] = [];
  const git = which('git');
  const rg = which('rg');
  if (!fs.existsSync(src.opencode)) missing.push(`the opencode binary at ${src.opencode}`);
  if (!git) missing.push('git (apt-get install git)');
  if (!rg) missing.push('rg (apt-get install ripgrep)');
  const busybox = src.shell === 'bash' ? undefined
    : ['/bin/busybox', '/usr/bin/busybox'].find((p) => fs.existsSync(p) && libsOf(p).length === 0);
  const bash = which('bash');
  if (!busybox && !bash) missing.push('a shell (apt-get install busybox-static)');
  if (missing.length || !git || !rg) throw new Error(`cannot build the agent image from this machine's packages, missing: ${missing.join('; ')}`);

  const b = new PlanBuilder(LOCAL_CLI_DOCKERFILE);
  b.add('/usr/local/bin/opencode', src.opencode);
  b.add('/usr/local/bin/hangar-entrypoint', src.entrypoint);
  b.add(`${OPENCODE_CONFIG}/plugins/hangar-webhook.js`, src.plugin);
  b.add('/usr/bin/git', git);
  b.add('/usr/bin/rg', rg);
  for (const dir of ['/usr/lib/git-core', '/usr/share/git-core']) if (fs.existsSync(dir)) b.tree(dir, dir, true);
  if (busybox) {
    b.add('/bin/busybox', busybox);
    const applets = execFileSync(busybox, ['--list']).toString().split('\n').filter(Boolean);
    for (const a of applets) if (!['git', 'rg'].includes(a)) b.plan.links.set(`/bin/${a}`, 'busybox');
  } else {
    b.add('/bin/bash', bash!);
    b.plan.links.set('/bin/sh', 'bash');
    for (const tool of ['cat', 'ls', 'mkdir', 'rm', 'cp', 'mv', 'env', 'sleep', 'id', 'chmod', 'chown', 'echo', 'head', 'tail', 'touch']) {
      const p = which(tool);
      if (p) b.add(`/bin/${tool}`, p);
    }
  }
  b.addLibraries();
  // The stub that stops opencode from npm-installing @opencode-ai/plugin into its config dir at start
  // (backend/runtime/local/configDir.ts does the same for the local runtime).
  const v = src.opencodeVersion;
  b.plan.generated.set(`${OPENCODE_CONFIG}/package.json`, { content: JSON.stringify({ dependencies: { '@opencode-ai/plugin': v } }, null, 2) + '\n' });
  b.plan.generated.set(`${OPENCODE_CONFIG}/package-lock.json`, {
    content: JSON.stringify({
      name: 'opencode', lockfileVersion: 3, requires: true,
      packages: { '': { dependencies: { '@opencode-ai/plugin': v } }, 'node_modules/@opencode-ai/plugin': { version: v } },
    }, null, 2) + '\n',
  });
  b.plan.generated.set(`${OPENCODE_CONFIG}/node_modules/@opencode-ai/plugin/package.json`, { content: JSON.stringify({ name: '@opencode-ai/plugin', version: v, type: 'module' }, null, 2) + '\n' });
  // The agent-data volume's mount point (AGENT_DATA in containerSpec.ts), owned by hangar like the Dockerfile's.
  b.plan.dirs.push('home/hangar/.local/share/opencode');
  b.plan.summary = `${b.plan.files.size} files (${busybox ? 'busybox' : 'bash'} shell)`;
  return b.plan;
}

/** The sources as found in a checkout or an installed hangar-api package. */
export function cliSourcesIn(media: string, opencode: { path: string; version: string }, shell?: 'busybox' | 'bash'): CliImageSources {
  return {
    opencode: opencode.path,
    opencodeVersion: opencode.version,
    entrypoint: path.join(media, 'images', 'cli', 'entrypoint.sh'),
    plugin: path.join(media, 'opencode-plugin', 'hangar-webhook.js'),
    ...(shell ? { shell } : {}),
  };
}
