import assert from 'node:assert/strict';
import { absoluteTime, cpuText, memoryText, relativeTime, statusText } from '../../../webviews/shared/format';

describe('webview formatting', () => {
  const now = Date.parse('2025-03-10T12:00:00.000Z');

  it('says how long ago something happened', () => {
    assert.equal(relativeTime('2025-03-10T11:59:30.000Z', now), 'just now');
    assert.equal(relativeTime('2025-03-10T11:57:00.000Z', now), '3 minutes ago');
    assert.equal(relativeTime('2025-03-10T09:00:00.000Z', now), '3 hours ago');
    assert.equal(relativeTime('2025-03-09T12:00:00.000Z', now), 'yesterday');
    assert.equal(relativeTime('not a time', now), '');
  });

  it('writes absolute times in 24-hour form', () => {
    assert.equal(absoluteTime('2025-03-10T14:05:00.000Z', 'UTC'), 'Mar 10, 2025, 14:05');
    assert.equal(absoluteTime('garbage'), 'garbage');
  });

  it('writes sizes, CPUs and statuses for people', () => {
    assert.deepEqual([memoryText('4g'), memoryText('512m'), memoryText('weird')], ['4 GB', '512 MB', 'weird']);
    assert.deepEqual([cpuText(1), cpuText(2), cpuText(0.5)], ['1 CPU', '2 CPUs', '0.5 CPUs']);
    assert.equal(statusText('not_deployed'), 'Not deployed');
  });
});

describe('the shared formatter (trees and webviews)', () => {
  it('writes sizes and token counts the same everywhere: "4 GB", "32k", "128k", "1M"', async () => {
    const { memoryText, tokenCountText } = await import('../../../webviews/shared/units');
    assert.deepEqual([memoryText('4g'), memoryText('512m'), memoryText('1.5g'), memoryText('2GB'), memoryText('weird')], ['4 GB', '512 MB', '1.5 GB', '2 GB', 'weird']);
    assert.deepEqual([32768, 128000, 131072, 200000, 1048576, 1000000, 950, 8192].map(tokenCountText), ['32k', '128k', '128k', '200k', '1M', '1M', '950', '8k']);
  });

  it('shows opencode\'s default session title as a time people read, other titles as they are', async () => {
    const { sessionTitleText } = await import('../../../webviews/shared/units');
    assert.equal(sessionTitleText('New session - 2025-03-10T14:05:09.123Z', 'UTC'), 'New session (Mar 10, 2025, 14:05)');
    assert.equal(sessionTitleText('Child session - 2025-03-10T14:05:09Z', 'UTC'), 'Child session (Mar 10, 2025, 14:05)');
    assert.equal(sessionTitleText('Fix the login form'), 'Fix the login form');
    assert.equal(sessionTitleText('New session - tomorrow'), 'New session - tomorrow');
    assert.equal(sessionTitleText('  '), 'Untitled session');
  });
});
