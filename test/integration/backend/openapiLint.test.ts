import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { client, startTestApi } from '../support/apiServer';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');
const REDOCLY = path.join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string }[];
}

describe('API: the OpenAPI document', () => {
  it('passes redocly lint with its recommended rules (no errors, no warnings)', async function () {
    this.timeout(60_000);
    const api = await startTestApi();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-openapi-'));
    try {
      const doc = await client(api.url, api.adminToken).get<{ servers?: unknown[] }>('/api/openapi.json');
      assert.equal(doc.status, 200);
      const file = path.join(dir, 'openapi.json');
      fs.writeFileSync(file, JSON.stringify(doc.body));
      // --extends recommended: the rules named in issue #12, whatever redocly.yaml a machine has.
      const lint = await run(process.execPath, [REDOCLY, 'lint', file, '--format', 'json', '--extends', 'recommended'], {
        cwd: dir, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      }).catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }));
      const report = JSON.parse(lint.stdout) as LintReport;
      const problems = report.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message}`).join('\n');
      assert.deepEqual(report.totals, { ...report.totals, errors: 0, warnings: 0 }, problems);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await api.close();
    }
  });
});
