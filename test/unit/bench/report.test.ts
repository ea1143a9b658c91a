import assert from 'node:assert/strict';
import { markdown, machine } from '../../bench/report';
import type { Figure } from '../../bench/results';

describe('bench report', () => {
  const figures: Figure[] = [
    { suite: 'Agent proxy', name: 'GET /session/status, median', value: 1.5, unit: 'ms',
      baseline: { name: 'direct', value: 1 }, target: '≤ +0.5 ms added', met: true },
    { suite: 'Activity', name: 'signed webhook', value: 1212, unit: 'req/s',
      baseline: { name: 'GET /api/health', value: 2651 }, target: '≥ 0.8×', met: false },
    { suite: 'Activity', name: 'idle → notification', value: 12.345, unit: 'ms' },
  ];
  const md = markdown(figures, machine(), '2026-12-07T00:00:00.000Z');

  it('puts each figure beside its same-run baseline with the ratio and whether the target is met', () => {
    assert.match(md, /\| GET \/session\/status, median \| direct: 1\.00 ms \| 1\.50 ms \| ×1\.50 \| ≤ \+0\.5 ms added \| yes \|/);
    assert.match(md, /\| signed webhook \| GET \/api\/health: 2651 req\/s \| 1212 req\/s \| ×0\.46 \| ≥ 0\.8× \| \*\*no\*\* \|/);
    assert.match(md, /\| idle → notification \| — \| 12\.3 ms \| — \| — \| — \|/);
  });

  it('groups figures by suite, in the order they were recorded, and names the machine', () => {
    assert.ok(md.indexOf('## Agent proxy') < md.indexOf('## Activity'));
    assert.match(md, /Machine: .+ × \d+, [\d.]+ GiB/);
    assert.match(md, new RegExp(`Node ${process.version.replace(/\./g, '\\.')}`));
  });
});
