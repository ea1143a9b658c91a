import type { FeatureManifest } from '../core/feature';
import type { AgentFilesFeature } from './agentFilesFeature';

export const AGENT_FILES_COMMANDS = [
  'hangar.agentFiles.open', 'hangar.agentFiles.new', 'hangar.agentFiles.rename', 'hangar.agentFiles.delete',
  'hangar.agentFiles.addMcpServer', 'hangar.agentFiles.removeMcpServer', 'hangar.agentFiles.connectMcpServer',
  'hangar.agentFiles.disconnectMcpServer',
] as const;

/** Loads right after activation: `hangar:` editors restored with the window need their file system. */
export const agentFilesManifest: FeatureManifest<AgentFilesFeature> = {
  id: 'agentFiles',
  commands: AGENT_FILES_COMMANDS,
  loadOn: 'startup',
  load: async () => (await import('./agentFilesFeature')).createAgentFilesFeature,
};
