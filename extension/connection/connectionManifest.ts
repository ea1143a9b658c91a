import type { FeatureManifest } from '../core/feature';
import type { ConnectionFeature } from './connectionFeature';

export const CONNECTION_COMMANDS = [
  'hangar.connect', 'hangar.disconnect', 'hangar.testConnection', 'hangar.showLog', 'hangar.startLocalServer',
] as const;

/** Loads right after activation: the status bar shows the connection, and a stored connection resumes. */
export const connectionManifest: FeatureManifest<ConnectionFeature> = {
  id: 'connection',
  commands: CONNECTION_COMMANDS,
  loadOn: 'startup',
  load: async () => (await import('./connectionFeature')).createConnectionFeature,
};
