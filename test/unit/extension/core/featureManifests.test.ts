import assert from 'node:assert/strict';
import { activityManifest } from '../../../../extension/activity/activityManifest';
import { agentFilesManifest } from '../../../../extension/agentFiles/agentFilesManifest';
import { chatManifest } from '../../../../extension/chat/chatManifest';
import { connectionManifest } from '../../../../extension/connection/connectionManifest';
import { COMMAND_IDS, VIEW_IDS } from '../../../../extension/core/commandIds';
import type { FeatureManifest } from '../../../../extension/core/feature';
import { desktopManifest } from '../../../../extension/desktop/desktopManifest';
import { projectsManifest } from '../../../../extension/projects/projectsManifest';
import { providersManifest } from '../../../../extension/providers/providersManifest';
import { settingsManifest } from '../../../../extension/settings/settingsManifest';
import { syncManifest } from '../../../../extension/sync/syncManifest';

// What activation registers before any feature's code loads: every id exactly once, or VS Code refuses
// the second registration (commands) or shows an empty view (views without an owner).
const manifests = [
  connectionManifest, projectsManifest, chatManifest, providersManifest, syncManifest, activityManifest,
  desktopManifest, agentFilesManifest, settingsManifest,
] as unknown as FeatureManifest[];

const duplicates = (xs: readonly string[]) => xs.filter((x, i) => xs.indexOf(x) !== i);

describe('feature manifests', () => {
  it('give every command to exactly one feature', () => {
    const listed = manifests.flatMap((m) => m.commands);
    assert.deepEqual(duplicates(listed), []);
    assert.deepEqual([...listed].sort(), [...COMMAND_IDS].sort());
  });

  it('give every view to exactly one feature', () => {
    const listed = manifests.flatMap((m) => m.views ?? []);
    assert.deepEqual(duplicates(listed), []);
    assert.deepEqual([...listed].sort(), Object.values(VIEW_IDS).sort());
  });

  it('name each feature once, and only the connection loads by itself at start-up', () => {
    assert.deepEqual(duplicates(manifests.map((m) => m.id)), []);
    assert.deepEqual(manifests.filter((m) => m.loadOn === 'startup').map((m) => m.id).sort(), ['connection']);
    assert.deepEqual(manifests.filter((m) => m.loadOn === 'connected').map((m) => m.id).sort(),
      ['activity', 'providers', 'sync']);
    // The Agent node below each project row comes with the Projects view.
    const withOther = manifests.flatMap((m) => typeof m.loadOn === 'object' ? [[m.id, m.loadOn.with]] : []);
    assert.deepEqual(withOther, [['agentFiles', 'projects']]);
  });

  it('give each file system scheme to one feature, served by a placeholder from activation', () => {
    const owner = (scheme: string) => manifests.filter((m) => m.fileSystems?.includes(scheme)).map((m) => m.id);
    assert.deepEqual(owner('hangar'), ['agentFiles']);
    assert.deepEqual(duplicates(manifests.flatMap((m) => m.fileSystems ?? [])), []);
  });

  it('route the deep links and restored panels to the feature that answers them', () => {
    const owner = (pred: (m: FeatureManifest) => boolean) => manifests.filter(pred).map((m) => m.id);
    assert.deepEqual(owner((m) => m.uriPaths?.includes('/session') ?? false), ['activity']);
    assert.deepEqual(owner((m) => m.uriPaths?.includes('/oauth/callback') ?? false), ['providers']);
    assert.deepEqual(owner((m) => m.panelSerializers?.includes('hangarChat') ?? false), ['chat']);
  });
});
