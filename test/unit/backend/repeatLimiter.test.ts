import assert from 'node:assert/strict';
import { RepeatLimiter } from '../../../backend/repeatLimiter';

describe('RepeatLimiter: the API\'s own repeated warnings', () => {
  it('lets a message through once a window, counts what it held back, and anew after a reset', () => {
    let now = 0;
    const limiter = new RepeatLimiter(60_000, () => now);
    assert.deepEqual(limiter.admit('GET /event answered HTTP 409'), { held: 0 });
    for (let i = 0; i < 59; i++) { now += 1000; assert.equal(limiter.admit('GET /event answered HTTP 409'), undefined); }
    assert.deepEqual(limiter.admit('another error'), { held: 0 }, 'a different message is news');
    now += 1000;
    assert.deepEqual(limiter.admit('GET /event answered HTTP 409'), { held: 59 });
    limiter.reset('');
    assert.deepEqual(limiter.admit('GET /event answered HTTP 409'), { held: 0 });
  });
});
