import type { OpenSessionArgs } from '../../core/commandIds';

const ID = /^[A-Za-z0-9_-]{1,128}$/;

/** The query of vscode://hangar-dev.hangar/session?project=…&session=… as openSession's arguments. */
export function parseSessionLink(q: URLSearchParams): OpenSessionArgs | { error: string } {
  const projectId = q.get('project') ?? '';
  const sessionId = q.get('session') ?? '';
  if (!ID.test(projectId)) return { error: 'it names no valid project (expected ?project=<id>&session=<id>).' };
  if (!ID.test(sessionId)) return { error: 'it names no valid session (expected ?project=<id>&session=<id>).' };
  return { projectId, sessionId };
}
