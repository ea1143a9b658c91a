import assert from 'node:assert/strict';
import { chooseRoute } from '../../../../backend/runtime/docker/images/imageBuild';

describe('hangar-api image build: route choice', () => {
  it('uses the Dockerfiles when the engine can pull their base image, else this machine\'s packages', async () => {
    assert.deepEqual(await chooseRoute('auto', async () => true), { route: 'registry', why: 'the engine pulled node:22-bookworm-slim' });
    assert.equal((await chooseRoute('auto', async () => false)).route, 'local');
  });

  it('does not probe when a route is asked for', async () => {
    let probed = false;
    const probe = async () => { probed = true; return true; };
    assert.equal((await chooseRoute('local', probe)).route, 'local');
    assert.equal((await chooseRoute('registry', probe)).route, 'registry');
    assert.equal(probed, false);
  });
});
