import type { FeatureManifest } from '../core/feature';
import type { ChatFeature } from './chatFeature';

export const CHAT_COMMANDS = [
  'hangar.openChat', 'hangar.useInChat', 'hangar.copyAgentPath',
] as const;

/** Loads when a chat opens, "Use in Chat" runs, or VS Code restores a chat panel after a reload. */
export const chatManifest: FeatureManifest<ChatFeature> = {
  id: 'chat',
  commands: CHAT_COMMANDS,
  panelSerializers: ['hangarChat'],
  load: async () => (await import('./chatFeature')).createChatFeature,
};
