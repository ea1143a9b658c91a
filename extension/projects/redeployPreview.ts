// Change Tier… and Move to Runtime…, without vscode: what the change does before it is applied.
import type { Project, Tier } from '../../backend/contract';
import { memoryText } from '../../webviews/shared/units';
import { tierResources } from './treeModel';

export interface RedeployChange {
  project: Project;
  /** The project's tier now (undefined when the server no longer lists it). */
  from: Tier | undefined;
  /** The tier to move to; undefined keeps the current one. */
  to?: Tier;
  /** The runtime to move to; undefined keeps the current one. */
  runtime?: string;
}

export interface RedeployPreview {
  /** The modal's question, e.g. `Change the tier of "web" from Lite to Standard?` */
  message: string;
  /** One line per impact: resources before → after, desktop, restart, what is kept. */
  lines: string[];
  button: string;
}

const hasDesktop = (t: Tier) => t.imageType === 'desktop' || t.hasDesktopAccess;

function arrow(label: string, before: string, after: string): string {
  return before === after ? `${label}: ${after} (unchanged)` : `${label}: ${before} → ${after}`;
}

export function redeployPreview(c: RedeployChange): RedeployPreview {
  const { project: p, from } = c;
  const to = c.to ?? from;
  const moving = c.runtime !== undefined && c.runtime !== p.runtime;
  const lines: string[] = [];
  if (from && to) {
    lines.push(arrow('CPU', String(from.cpus), String(to.cpus)));
    lines.push(arrow('RAM', memoryText(from.memory), memoryText(to.memory)));
    lines.push(arrow('Storage', `${from.storageGb} GB`, `${to.storageGb} GB`));
    if (hasDesktop(from) !== hasDesktop(to)) lines.push(`Desktop: ${hasDesktop(from) ? 'on → off' : 'off → on'}`);
    else lines.push(`Desktop: ${hasDesktop(to) ? 'on' : 'off'} (unchanged)`);
  } else if (to) {
    lines.push(`New tier: ${tierResources(to)}`);
  }
  if (moving) {
    lines.push(`Runtime: ${p.runtime} → ${c.runtime} `
      + `(the workspace and the agent's sessions are copied over, then removed from ${p.runtime})`);
  }
  if (p.status === 'not_deployed') {
    lines.push(moving
      ? 'Not deployed yet: it will deploy on the new runtime.'
      : 'Not deployed yet: the new tier applies at its first deploy.');
  } else {
    const running = ['running', 'starting', 'deploying'].includes(p.status);
    lines.push(running
      ? 'A restart is needed: the agent is redeployed and stops answering until it is back '
        + '(a reply being written is cut off).'
      : 'The project is redeployed and started on the new settings.');
    lines.push('Kept: the workspace and the agent\'s sessions.');
    if (p.repository?.sync.enabled) lines.push('Work not pushed to GitHub is checked first, as for Stop.');
  }
  const fromName = from?.name ?? p.tierId;
  const message = c.to && c.to.id !== p.tierId
    ? `Change the tier of "${p.name}" from ${fromName} to ${c.to.name}${moving ? ` and move it to ${c.runtime}` : ''}?`
    : `Move "${p.name}" from the ${p.runtime} runtime to ${c.runtime ?? p.runtime}?`;
  return { message, lines, button: moving && !(c.to && c.to.id !== p.tierId) ? 'Move' : 'Change Tier' };
}
