import path from 'node:path';
import type { ProjectPaths } from './paths';
import { ENV_PROJECT, ENV_ROOT } from './processes';

/**
 * The environment of an agent process and of commands run in its workspace: only what opencode
 * needs, never the API's own environment (it may hold the encryption key). `root` and `id` are the
 * markers scanProcesses finds the process by.
 */
export function agentProcessEnv(root: string, id: string, p: ProjectPaths): Record<string, string> {
  const keep = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'TERM', 'TMPDIR'];
  const env: Record<string, string> = {};
  for (const k of keep) if (process.env[k]) env[k] = process.env[k]!;
  return {
    ...env,
    HOME: p.home,
    XDG_CONFIG_HOME: path.join(p.home, '.config'),
    XDG_DATA_HOME: path.join(p.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(p.home, '.cache'),
    XDG_STATE_HOME: path.join(p.home, '.local', 'state'),
    OPENCODE_CONFIG_DIR: p.configDir,
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    [ENV_ROOT]: root,
    [ENV_PROJECT]: id,
  };
}
