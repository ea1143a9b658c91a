import assert from 'node:assert/strict';
import { clip, costText, durationText, errorText, inputText, tokensText, toolSubject, untilText } from '../../../../webviews/chat/format';

describe('chat formatting', () => {
  it('writes tokens, cost and durations for people', () => {
    assert.equal(tokensText({ input: 12_400, output: 380, reasoning: 0, cache: { read: 0, write: 0 } }), '12k in · 380 out');
    assert.equal(tokensText({ input: 1_500, output: 20, reasoning: 300, cache: { read: 9_000, write: 0 } }), '1.5k in · 20 out · 300 reasoning · 9.0k cached');
    assert.deepEqual([costText(0), costText(0.0042), costText(1.234)], ['$0', '$0.0042', '$1.23']);
    assert.deepEqual([durationText(240), durationText(3_199), durationText(42_000), durationText(125_000)], ['240 ms', '3.2 s', '42 s', '2 min 5 s']);
    assert.equal(untilText(10_400, 1_000), 'in 9 s');
    assert.equal(untilText(0, 1_000), 'now');
  });

  it('names errors the way people read them', () => {
    assert.deepEqual(errorText({ name: 'MessageAbortedError', message: 'Aborted' }), { title: 'Aborted', detail: 'You stopped this turn.' });
    assert.equal(errorText({ name: 'APIError', message: '429' }).title, 'The model provider answered with an error');
    assert.equal(errorText({ name: 'SomethingNewError' }).title, 'Something New error');
  });

  it('turns provider errors into a sentence with the next step, the raw error only behind Details', () => {
    const raw = 'ProviderModelNotFoundError: Model not found: opencode/big-pickle\n    at SessionPrompt.getModel (/$bunfs/root/chunk-abc.js:1:2)';
    assert.deepEqual(errorText({ name: 'UnknownError', message: raw }), {
      title: 'The agent has no model opencode/big-pickle',
      detail: 'Pick another model below and send again; after a provider change, redeploy the project if the list does not have it.',
      raw: `UnknownError: ${raw}`,
    });
    const down = errorText({ name: 'APIError', message: 'Cannot connect to API: Unable to connect. Is the computer able to access the url?' });
    assert.equal(down.title, 'The agent could not reach the model provider');
    assert.match(down.detail!, /Hangar itself is fine/);
    assert.equal(errorText({ name: 'ProviderAuthError', message: 'bad key' }).detail, 'Set a new key or sign in again in the Providers view, then send again.');
    const other = errorText({ name: 'UnknownError', message: 'boom\n    at x (y.js:1:1)' });
    assert.equal(other.detail, 'boom', 'no stack line in the sentence');
    assert.equal(other.raw, 'UnknownError: boom\n    at x (y.js:1:1)');
  });

  it('says what a tool call is about and caps big inputs and outputs', () => {
    assert.equal(toolSubject({ command: 'npm test', description: 'Run' }), 'npm test');
    assert.equal(toolSubject({ filePath: 'src/a.ts' }), 'src/a.ts');
    assert.equal(toolSubject({ other: 1 }), '');
    assert.match(inputText({ content: 'x'.repeat(50) }, 20), /… \(\d+ more characters\)$/);
    assert.deepEqual(clip('abcdef', 4), { text: 'abcd', clipped: 2 });
  });
});
