import type { FeatureManifest } from '../core/feature';
import type { AgentFilesFeature } from './agentFilesFeature';

export const AGENT_FILES_COMMANDS = [
  'hangar.agentFiles.open', 'hangar.agentFiles.new', 'hangar.agentFiles.rename', 'hangar.agentFiles.delete',
  'hangar.agentFiles.addMcpServer', 'hangar.agentFiles.removeMcpServer', 'hangar.agentFiles.connectMcpServer',
  'hangar.agentFiles.disconnectMcpServer',
] as const;

/** The `hangar:` scheme: hangar://<projectId>/<path> is a file of a project's workspace. */
export const HANGAR_SCHEME = 'hangar';

/**
 * Loads on first use: one of its commands, the first `hangar:` file call (an editor restored with the
 * window, through the placeholder provider), or the Projects feature loading (it adds the Agent node
 * below each project row).
 */
export const agentFilesManifest: FeatureManifest<AgentFilesFeature> = {
  id: 'agentFiles',
  commands: AGENT_FILES_COMMANDS,
  fileSystems: [HANGAR_SCHEME],
  loadOn: { with: 'projects' },
  load: async () => (await import('./agentFilesFeature')).createAgentFilesFeature,
};
