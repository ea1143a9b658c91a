import crypto from 'node:crypto';
import type Docker from 'dockerode';
import type { DeploySpec } from '../driver';
import type { DockerConfig } from './config';

export const LABEL_MANAGED = 'dev.hangar.managed';
export const LABEL_PROJECT = 'dev.hangar.project';
export const LABEL_SLUG = 'dev.hangar.slug';
export const LABEL_SPEC_HASH = 'dev.hangar.spec-hash';
export const LABEL_IMAGE_TYPE = 'dev.hangar.image-type';

export const AGENT_PORT = 4096;
export const VNC_PORT = 6080;
export const WORKSPACE = '/workspace';
/**
 * opencode's data dir (XDG_DATA_HOME/opencode: its sessions, messages, auth) is a volume of its own, so a
 * force deploy, a tier change or a move keeps the agent's sessions along with the workspace. Not inside
 * /workspace: the agent's files and git must not see (or commit) its own database.
 */
export const AGENT_DATA = '/home/hangar/.local/share/opencode';
/** Root here has a hard nofile limit of 20000 (docker.md): a higher ulimit fails the start. */
export const NOFILE_LIMIT = 16384;

const UNITS: Record<string, number> = { m: 1024 ** 2, g: 1024 ** 3 };

/** "4g" → 4294967296, "512m" → 536870912 (the tier schema allows only m and g). */
export function parseMemory(size: string): number {
  const m = /^([1-9][0-9]*)([mg])$/.exec(size);
  if (!m) throw new Error(`invalid memory size ${JSON.stringify(size)}`);
  return Number(m[1]) * UNITS[m[2] as string]!;
}

export const containerName = (spec: Pick<DeploySpec, 'slug' | 'projectId'>) =>
  `hangar-${spec.slug.replace(/[^a-z0-9-]/g, '-').slice(0, 40)}-${spec.projectId.replace(/[^a-zA-Z0-9]/g, '').slice(0, 8).toLowerCase()}`;

export const volumeName = (projectId: string) => `hangar-ws-${projectId}`;
export const agentDataVolumeName = (projectId: string) => `hangar-agent-${projectId}`;
/** Every volume a project owns on docker: the workspace and the agent's data. */
export const projectVolumes = (projectId: string) => [volumeName(projectId), agentDataVolumeName(projectId)];

/** The ports the tier publishes: its exposedPorts, plus 6080 whenever the tier is a desktop one. */
export function tierPorts(spec: DeploySpec): number[] {
  const ports = new Set(spec.tier.exposedPorts.split(',').map(Number));
  ports.add(AGENT_PORT);
  if (spec.tier.imageType === 'desktop' || spec.tier.hasDesktopAccess) ports.add(VNC_PORT);
  return [...ports].sort((a, b) => a - b);
}

export const imageFor = (spec: DeploySpec, config: DockerConfig) =>
  spec.tier.imageType === 'desktop' ? config.desktopImage : config.cliImage;

/**
 * A digest of everything the container is created from. Stored as a label, compared on deploy to
 * decide between "just start it" and "recreate". Secrets go in only as part of a SHA-256 over a
 * document that also holds the random server password, so the label reveals nothing useful.
 */
export function specHash(spec: DeploySpec, config: DockerConfig): string {
  const doc = {
    // v2: the agent's data volume (AGENT_DATA); a v1 container is recreated once at its next deploy.
    v: 2,
    image: imageFor(spec, config),
    slug: spec.slug,
    cpus: spec.tier.cpus,
    memory: spec.tier.memory,
    memoryReservation: spec.tier.memoryReservation,
    ports: tierPorts(spec),
    imageType: spec.tier.imageType,
    pidsLimit: config.pidsLimit,
    network: config.network ?? null,
    env: Object.entries(spec.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  };
  return crypto.createHash('sha256').update(JSON.stringify(doc)).digest('hex');
}

/** The create body: limits, labels, loopback-only ports, the workspace volume, credentials as env. */
export function createOptions(spec: DeploySpec, config: DockerConfig): Docker.ContainerCreateOptions {
  const ports = tierPorts(spec);
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of ports) {
    exposed[`${p}/tcp`] = {};
    bindings[`${p}/tcp`] = [{ HostIp: '127.0.0.1', HostPort: '' }];
  }
  const env = {
    ...spec.env,
    HANGAR_PROJECT_ID: spec.projectId,
    HANGAR_WORKSPACE: WORKSPACE,
    HANGAR_AGENT_PORT: String(AGENT_PORT),
  };
  return {
    name: containerName(spec),
    Image: imageFor(spec, config),
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: {
      [LABEL_MANAGED]: 'true',
      [LABEL_PROJECT]: spec.projectId,
      [LABEL_SLUG]: spec.slug,
      [LABEL_SPEC_HASH]: specHash(spec, config),
      [LABEL_IMAGE_TYPE]: spec.tier.imageType,
    },
    ExposedPorts: exposed,
    WorkingDir: WORKSPACE,
    StopTimeout: config.stopTimeoutSec,
    HostConfig: {
      NanoCpus: Math.round(spec.tier.cpus * 1e9),
      Memory: parseMemory(spec.tier.memory),
      MemoryReservation: parseMemory(spec.tier.memoryReservation),
      // No swap beyond the memory limit: an agent over its tier is OOM-killed, not slowed to a crawl.
      MemorySwap: parseMemory(spec.tier.memory),
      PidsLimit: config.pidsLimit,
      Ulimits: [{ Name: 'nofile', Soft: NOFILE_LIMIT, Hard: NOFILE_LIMIT }],
      PortBindings: bindings,
      // An empty named volume takes the image's directory (owner hangar) at first mount: the images create AGENT_DATA.
      Mounts: [
        { Type: 'volume', Source: volumeName(spec.projectId), Target: WORKSPACE },
        { Type: 'volume', Source: agentDataVolumeName(spec.projectId), Target: AGENT_DATA },
      ],
      // unless-stopped: crashes and daemon restarts bring the agent back, our `docker stop` does not.
      RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 },
      // docker's tini as PID 1 forwards SIGTERM to opencode, so stop is quick, and reaps zombies.
      Init: true,
      CapDrop: ['NET_RAW', 'MKNOD', 'AUDIT_WRITE', 'SYS_CHROOT'],
      SecurityOpt: ['no-new-privileges'],
      // The API's webhook (HANGAR_WEBHOOK_URL) is reached as host.docker.internal: the host on docker's bridge.
      ExtraHosts: ['host.docker.internal:host-gateway'],
      ...(config.network ? { NetworkMode: config.network } : {}),
    },
  };
}

/** Limits docker cannot enforce for this spec, in words for the project's details. */
export function unenforcedLimits(spec: DeploySpec): string[] {
  return [`storage ${spec.tier.storageGb} GB: docker volumes have no size limit on this engine`];
}
