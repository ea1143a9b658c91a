import assert from 'node:assert/strict';
import type { DeviceFlowStart, DeviceFlowStatus } from '../../../../backend/contract';
import { parseModelsSpec, providerIdFrom } from '../../../../extension/providers/customProviderSpec';
import { deviceFlowOutcome, followDeviceFlow } from '../../../../extension/providers/deviceFlowPoller';
import { parsePastedCode } from '../../../../extension/providers/pastedCode';

const start: DeviceFlowStart = { flowId: '00000000-0000-4000-8000-000000000001', userCode: 'ABCD-1234', verificationUri: 'https://github.com/login/device', expiresAt: '2030-01-01T00:00:00.000Z', interval: 5 };
const status = (s: DeviceFlowStatus['status'], over: Partial<DeviceFlowStatus> = {}): DeviceFlowStatus => ({
  flowId: start.flowId, providerId: 'github-copilot', status: s, userCode: start.userCode, verificationUri: start.verificationUri,
  expiresAt: start.expiresAt, interval: 5, message: null, credential: null, ...over,
});

describe('device flow follower', () => {
  it('reads the status until the flow is over, reporting each one', async () => {
    const answers = [status('pending'), status('slow_down', { interval: 10 }), status('complete')];
    const seen: string[] = [];
    const final = await followDeviceFlow({
      deviceFlow: async () => answers.shift()!,
      cancelDeviceFlow: async () => { throw new Error('not cancelled'); },
    }, 'github-copilot', start, { onStatus: (s) => seen.push(s.status), sleep: async () => {} });
    assert.equal(final.status, 'complete');
    assert.deepEqual(seen, ['pending', 'slow_down', 'complete']);
  });

  it('cancels the flow on the server when aborted', async () => {
    const abort = new AbortController();
    const calls: string[] = [];
    const final = await followDeviceFlow({
      deviceFlow: async () => { calls.push('status'); abort.abort(); return status('pending'); },
      cancelDeviceFlow: async () => { calls.push('cancel'); return status('cancelled'); },
    }, 'github-copilot', start, { signal: abort.signal, sleep: async () => {} });
    assert.equal(final.status, 'cancelled');
    assert.deepEqual(calls, ['status', 'cancel']);
  });

  it('says what happened in words', () => {
    assert.deepEqual(deviceFlowOutcome(status('complete', { credential: { providerId: 'github-copilot', type: 'oauth', hint: 'gho_…abcd', createdAt: '', updatedAt: '', lastUsedAt: null, expiresAt: null, status: 'ok', statusReason: null } }), 'GitHub Copilot'),
      { ok: true, message: 'GitHub Copilot is signed in (gho_…abcd).' });
    assert.deepEqual(deviceFlowOutcome(status('denied', { message: 'The sign-in was declined on GitHub.' }), 'X'), { ok: false, message: 'The sign-in was declined on GitHub.' });
  });
});

describe('pasted sign-in codes', () => {
  it('takes a bare code, code#state, or the whole redirect address', () => {
    assert.deepEqual(parsePastedCode('  abc123 ', 'S1'), { code: 'abc123', state: 'S1' });
    assert.deepEqual(parsePastedCode('abc123#S2', 'S1'), { code: 'abc123', state: 'S2' });
    assert.deepEqual(parsePastedCode('vscode://hangar-dev.hangar/oauth/callback?code=c9&state=S3', 'S1'), { code: 'c9', state: 'S3' });
    assert.deepEqual(parsePastedCode('https://x.test/cb?error=access_denied&state=S1', 'S1'), { error: 'The provider refused the sign-in (access_denied).' });
    assert.ok('error' in parsePastedCode('', 'S1'));
    assert.ok('error' in parsePastedCode('two words', 'S1'));
  });
});

describe('custom provider models', () => {
  it('parses "id=context/output" lists with k suffixes and defaults', () => {
    assert.deepEqual(parseModelsSpec('llama3:8b=8192/2048, qwen2.5-coder=32k\nphi'), {
      models: [{ id: 'llama3:8b', context: 8192, output: 2048 }, { id: 'qwen2.5-coder', context: 32768, output: 4096 }, { id: 'phi', context: 8192, output: 4096 }],
    });
    assert.match((parseModelsSpec('bad id=1') as { error: string }).error, /not a model id/);
    assert.match((parseModelsSpec('m=lots') as { error: string }).error, /not a context size/);
    assert.match((parseModelsSpec(' , ') as { error: string }).error, /at least one model/);
    assert.equal(providerIdFrom('LM Studio (work)'), 'lm-studio-work');
  });
});
