import type Docker from 'dockerode';
import type { RuntimeStatus } from '../driver';
import { AGENT_PORT, LABEL_IMAGE_TYPE, VNC_PORT } from './containerSpec';

const SIGNALS: Record<number, string> = { 130: 'SIGINT', 134: 'SIGABRT', 137: 'SIGKILL', 139: 'SIGSEGV', 143: 'SIGTERM' };

function hostPort(info: Docker.ContainerInspectInfo, port: number): string | undefined {
  const bindings = info.NetworkSettings?.Ports?.[`${port}/tcp`];
  const b = bindings?.find((x) => x.HostIp === '127.0.0.1') ?? bindings?.[0];
  return b?.HostPort || undefined;
}

export function exitReason(state: Docker.ContainerInspectInfo['State']): string {
  if (state.OOMKilled) return `killed for exceeding its memory limit (OOMKilled, exit code ${state.ExitCode})`;
  const sig = SIGNALS[state.ExitCode];
  const parts = [`exited with code ${state.ExitCode}${sig ? ` (${sig})` : ''}`];
  if (state.Error) parts.push(state.Error);
  if (state.FinishedAt && !state.FinishedAt.startsWith('0001')) parts.push(`at ${state.FinishedAt}`);
  return parts.join(', ');
}

/**
 * Maps `docker inspect` to the driver's status. A container we stopped (or that exited 0 / on
 * SIGTERM) is `stopped`; any other exit is `exited` with the code, OOM kill and engine error.
 */
export function toRuntimeStatus(info: Docker.ContainerInspectInfo, stoppedByUs: boolean, unenforced: string[]): RuntimeStatus {
  const s = info.State;
  const base: RuntimeStatus = { state: 'created', instanceId: info.Id };
  if (unenforced.length) base.unenforced = unenforced;
  if (s.Running && !s.Restarting && !s.Paused) {
    const agent = hostPort(info, AGENT_PORT);
    const vnc = info.Config.Labels?.[LABEL_IMAGE_TYPE] === 'desktop' ? hostPort(info, VNC_PORT) : undefined;
    return {
      ...base,
      state: 'running',
      ...(agent ? { agentUrl: `http://127.0.0.1:${agent}` } : {}),
      ...(vnc ? { vncUrl: `ws://127.0.0.1:${vnc}/websockify` } : {}),
      ...(info.RestartCount > 0 ? { reason: `restarted ${info.RestartCount} time(s) by docker after crashes` } : {}),
    };
  }
  if (s.Restarting) return { ...base, state: 'starting', reason: `restarting after it ${exitReason(s)} (${info.RestartCount} restarts)` };
  if (s.Paused) return { ...base, state: 'stopped', reason: 'paused' };
  if (s.Status === 'created') return base;
  if (s.Status === 'removing') return { ...base, state: 'stopped', reason: 'being removed' };
  const clean = !s.OOMKilled && (s.ExitCode === 0 || s.ExitCode === 143);
  if (stoppedByUs || clean) return { ...base, state: 'stopped' };
  return { ...base, state: 'exited', reason: exitReason(s) };
}
