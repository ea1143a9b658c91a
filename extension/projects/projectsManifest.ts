import type { FeatureManifest } from '../core/feature';
import { VIEW_IDS } from '../core/commandIds';
import type { ProjectsFeature } from './projectsFeature';

export const PROJECTS_COMMANDS = [
  'hangar.refresh', 'hangar.loadMoreProjects', 'hangar.createProject', 'hangar.deleteProject',
  'hangar.openProjectDetails',
  'hangar.deployContainer', 'hangar.forceDeployContainer', 'hangar.retryDeploy', 'hangar.startContainer',
  'hangar.stopContainer', 'hangar.restartContainer', 'hangar.changeTier', 'hangar.moveToRuntime',
  'hangar.showContainerLogs', 'hangar.copyAgentUrl', 'hangar.cancelQueuedAction',
] as const;

/** Loads when its views first show or one of its commands first runs (sync, once connected, needs it too). */
export const projectsManifest: FeatureManifest<ProjectsFeature> = {
  id: 'projects',
  commands: PROJECTS_COMMANDS,
  views: [VIEW_IDS.projects, VIEW_IDS.tiers],
  load: async () => (await import('./projectsFeature')).createProjectsFeature,
};
