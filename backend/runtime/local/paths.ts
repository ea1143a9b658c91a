import path from 'node:path';

/** Where one project's local runtime keeps everything: <dataDir>/projects/<id>/... */
export interface ProjectPaths {
  root: string;
  /** The git workspace opencode works in (the "volume"). */
  workspace: string;
  /** HOME and XDG_* for the opencode process: its database, auth, caches. */
  home: string;
  /** OPENCODE_CONFIG_DIR: agents, commands, plugins the API provides. */
  configDir: string;
  logsDir: string;
  logFile: string;
  /** pid, port, start time of the running process (see processes.ts). */
  runtimeFile: string;
  /** The deploy spec, sealed: start after an API restart needs its environment. */
  specFile: string;
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function projectPaths(projectsRoot: string, projectId: string): ProjectPaths {
  if (!SAFE_ID.test(projectId)) throw new Error(`invalid project id for the local runtime: ${JSON.stringify(projectId)}`);
  const root = path.join(projectsRoot, projectId);
  const logsDir = path.join(root, 'logs');
  return {
    root,
    workspace: path.join(root, 'workspace'),
    home: path.join(root, 'home'),
    configDir: path.join(root, 'opencode-config'),
    logsDir,
    logFile: path.join(logsDir, 'opencode.log'),
    runtimeFile: path.join(root, 'runtime.json'),
    specFile: path.join(root, 'spec.sealed'),
  };
}
