// The deploy confirmation's words, without vscode: what happens on this project's runtime, and the
// two surprises worth a warning (a running agent restarts; no provider leaves it on built-in models).
import type { EffectiveModel } from '../../backend/contract';

export interface DeployTextInput {
  tierText: string;
  /** the project's runtime: `local` runs a process, `docker` and `coolify` a container */
  runtime: string;
  force: boolean;
  running: boolean;
  /** undefined: the API could not say (no warning then) */
  model: EffectiveModel | undefined;
}

export function deployDetail(i: DeployTextInput): string {
  const local = i.runtime === 'local';
  const what = local
    ? (i.force
      ? 'Force deploy starts the agent again from scratch even when nothing changed. The workspace is kept.'
      : "The agent is started as a local process with the tier's limits and the project's provider.")
    : (i.force
      ? 'Force deploy recreates the container from scratch even when nothing changed. The workspace volume is kept.'
      : "The container is created or updated from the tier's image and the project's credentials, then started.");
  const warnings: string[] = [];
  if (i.running || i.force) warnings.push('⚠ The agent restarts: a turn in progress is interrupted.');
  if (i.model && !i.model.providerId) warnings.push('⚠ No provider is set: the agent runs on opencode\'s built-in models. Add one in the Providers view first, or later (it reaches the running agent without a redeploy).');
  else if (i.model && i.model.providerId && !i.model.configured) warnings.push(`⚠ ${i.model.providerId} has no credential yet: set its key in the Providers view.`);
  return [i.tierText, what, ...warnings].join('\n\n');
}
