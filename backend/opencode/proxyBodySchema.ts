import fs from 'node:fs/promises';
import path from 'node:path';
import type { AgentFilePart, AgentPromptBody } from '../contract';
import { badRequest, HttpError } from '../errors';
import type { AgentWorkspace } from './agentWorkspace';

/** Line-range keys the chat adds to a file URL (`?start=10&end=24`); nothing else passes. */
const RANGE_KEYS = new Set(['start', 'end']);

const refused = (why: string) => badRequest('file_part_refused',
  `A file part must be inline (data:…) or a file inside the project's workspace: ${why}`);

/**
 * The prompt with every `file` part confined to the workspace: `data:` content passes; a relative
 * path or a `file://` URL becomes `file://<agent workspace>/<path>` after it was checked to stay
 * inside (no `..`, and on this host no symlink leading out); anything else is 400.
 */
export async function confineFileParts(body: AgentPromptBody, ws: AgentWorkspace): Promise<AgentPromptBody> {
  const parts = [];
  for (const part of body.parts) parts.push(part.type === 'file' ? { ...part, url: await confinedUrl(part, ws) } : part);
  return { ...body, parts };
}

async function confinedUrl(part: AgentFilePart, ws: AgentWorkspace): Promise<string> {
  const url = part.url;
  if (/^data:/i.test(url)) {
    if (!/^data:[^,]*,/i.test(url)) throw refused('the data: URL has no comma.');
    return url;
  }
  let rel: string;
  let search = '';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url) && !/^[A-Za-z]:[\\/]/.test(url)) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw refused('the URL does not parse.');
    }
    if (u.protocol !== 'file:') throw refused(`${u.protocol} URLs are not taken.`);
    if (u.hostname && u.hostname !== 'localhost') throw refused('a file URL names no host.');
    for (const key of u.searchParams.keys()) if (!RANGE_KEYS.has(key)) throw refused(`the query key "${key}" is not taken (only start and end).`);
    for (const v of u.searchParams.values()) if (!/^[0-9]{1,9}$/.test(v)) throw refused('start and end are line numbers.');
    search = u.search;
    let abs: string;
    try {
      abs = decodeURIComponent(u.pathname);
    } catch {
      throw refused('the path is not valid percent-encoding.');
    }
    rel = relativeInside(ws.agentRoot, abs);
  } else {
    const q = url.indexOf('?');
    rel = relativeInside(ws.agentRoot, path.posix.join(ws.agentRoot, q < 0 ? url : url.slice(0, q)));
    if (q >= 0) {
      const u = new URL(`file:///x${url.slice(q)}`);
      for (const [k, v] of u.searchParams) if (!RANGE_KEYS.has(k) || !/^[0-9]{1,9}$/.test(v)) throw refused('only ?start=&end= line numbers may follow a path.');
      search = u.search;
    }
  }
  if (ws.hostRoot) await assertRealpathInside(ws.hostRoot, rel);
  const agentPath = rel ? `${ws.agentRoot.replace(/\/+$/, '')}/${rel}` : ws.agentRoot;
  return `file://${agentPath.split('/').map(encodeURIComponent).join('/')}${search}`;
}

/**
 * A `?path=` of /file and /file/content: on a host workspace, a missing path is 404 and a symlink
 * out of the workspace 400, before the agent is asked (it would fail with a 500 on either).
 */
export async function confinePathQuery(rel: string | undefined, ws: AgentWorkspace): Promise<void> {
  if (rel === undefined || !ws.hostRoot) return;
  const inside = relativeInside(ws.agentRoot, path.posix.join(ws.agentRoot, rel));
  await assertRealpathInside(ws.hostRoot, inside);
}

/** `abs` as a path relative to `root`, or 400 when it is outside (lexically, before symlinks). */
function relativeInside(root: string, abs: string): string {
  if (abs.includes('\0') || abs.includes('\\')) throw refused('the path contains a NUL or a backslash.');
  if (!abs.startsWith('/')) throw refused('the path is not absolute.');
  const normal = path.posix.normalize(abs);
  const base = path.posix.normalize(root).replace(/\/+$/, '');
  if (normal === base) return '';
  if (!normal.startsWith(base + '/')) throw refused('the path is outside the workspace.');
  return normal.slice(base.length + 1).replace(/\/+$/, '');
}

/** The host file, symlinks resolved, stays in the (resolved) workspace; a missing file is 404. */
async function assertRealpathInside(hostRoot: string, rel: string): Promise<void> {
  let root: string;
  let real: string;
  try {
    root = await fs.realpath(hostRoot);
  } catch {
    throw new HttpError(409, 'workspace_missing', 'The project\'s workspace folder does not exist on this host. Deploy the project to create it.');
  }
  try {
    real = await fs.realpath(path.join(hostRoot, rel));
  } catch {
    throw new HttpError(404, 'file_not_found', `${rel || '.'} does not exist in the project's workspace.`);
  }
  if (real !== root && !real.startsWith(root + path.sep)) throw refused(`${rel} is a symbolic link that leads out of the workspace.`);
}
