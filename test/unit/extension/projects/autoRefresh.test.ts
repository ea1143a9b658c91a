import assert from 'node:assert/strict';
import { AutoRefresh } from '../../../../extension/projects/autoRefresh';
import { FakeClock } from '../builders';

const flush = () => new Promise((r) => setImmediate(r));

describe('AutoRefresh (the backstop poll)', () => {
  let clock: FakeClock;
  let polls: number[];
  let poll: AutoRefresh;

  beforeEach(() => {
    clock = new FakeClock();
    polls = [];
    poll = new AutoRefresh({ timers: clock, refresh: async () => { polls.push(clock.now()); } });
  });
  afterEach(() => poll.dispose());

  it('polls every interval only while the view is visible', async () => {
    poll.setInterval(60);
    clock.advance(300_000);
    assert.deepEqual(polls, [], 'hidden: no poll');
    poll.setVisible(true);
    clock.advance(60_000);
    await flush();
    clock.advance(60_000);
    await flush();
    assert.deepEqual(polls, [360_000, 420_000]);
    poll.setVisible(false);
    assert.equal(poll.isScheduled, false);
    clock.advance(600_000);
    assert.equal(polls.length, 2);
  });

  it('polls at once when the view comes back after more than an interval', async () => {
    poll.setInterval(60);
    poll.setVisible(true);
    clock.advance(60_000);
    await flush();
    poll.setVisible(false);
    clock.advance(200_000);
    poll.setVisible(true);
    clock.advance(0);
    await flush();
    assert.deepEqual(polls, [60_000, 260_000]);
  });

  it('is off at 0 and follows a changed interval', async () => {
    poll.setVisible(true);
    poll.setInterval(0);
    clock.advance(600_000);
    assert.deepEqual(polls, []);
    assert.equal(poll.isScheduled, false);
    poll.setInterval(30);
    clock.advance(30_000);
    await flush();
    assert.equal(polls.length, 1);
  });

  it('counts from the last refresh made by anyone else', async () => {
    poll.setInterval(60);
    poll.setVisible(true);
    clock.advance(50_000);
    poll.noteRefreshed();
    clock.advance(59_000);
    assert.deepEqual(polls, []);
    clock.advance(1_000);
    await flush();
    assert.deepEqual(polls, [110_000]);
  });

  it('keeps polling after a failed refresh and never below 5 s', async () => {
    let calls = 0;
    const p = new AutoRefresh({ timers: clock, refresh: async () => { calls++; throw new Error('offline'); } });
    p.setInterval(1);
    p.setVisible(true);
    assert.deepEqual(clock.delays(), [5_000]);
    clock.advance(5_000);
    await flush();
    clock.advance(5_000);
    await flush();
    assert.equal(calls, 2);
    p.dispose();
  });
});
