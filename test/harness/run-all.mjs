// `npm test`: lint, typecheck, build, unit, integration, then the real-VS-Code suites.
// Streams each child's output live, collects counts, prints a table and the totals line
// `N passed, N failed` alone on a line. Exits 1 if any step failed, any suite ran 0 tests or was
// skipped. A failed check step (lint, typecheck, build, ...) counts as one failure in the totals.
//
//   HANGAR_TEST_PARALLEL=1  run the vscode suite and the e2e test at the same time (2 cores: slower per test)
//   HANGAR_TEST_ONLY=unit,integration  run only the named steps (others count as skipped, so exit 1)
//   (integration-pg: the integration tests that touch the database, on PostgreSQL; see .mocharc.integration-pg.json)
// Before the steps: the Debian packages (test/harness/setup-debian.sh) and a supported Node (>= 22:
// on an older one (or on 24+) it re-runs itself under the cached Node 22, see supportedNode.mjs).
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { REPO } from './api.mjs';
import { ensureDebianPackages } from './prereqs.mjs';
import { runOnSupportedNode } from './supportedNode.mjs';

const NODE = process.execPath;
const only = process.env.HANGAR_TEST_ONLY?.split(',').map((s) => s.trim());

// kind: 'check' = pass/fail only; 'mocha' = parse mocha's spec summary; 'summary' = parse `<name>: N passed, N failed`.
const STEPS = [
  { name: 'lint', kind: 'check', cmd: ['npx', 'eslint', '.'] },
  { name: 'typecheck', kind: 'check', cmd: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'build', kind: 'check', cmd: [NODE, 'esbuild.mjs'] },
  { name: 'unit', kind: 'mocha', cmd: ['npx', 'mocha', '--config', 'test/.mocharc.unit.json'] },
  { name: 'integration', kind: 'mocha', cmd: ['npx', 'mocha', '--config', 'test/.mocharc.integration.json'] },
  // The database-touching integration tests again, with each test API on its own PostgreSQL database
  // (test/harness/postgres.mjs starts the cluster from Debian's package and removes it at the end).
  { name: 'integration-pg', kind: 'mocha', env: { HANGAR_TEST_DATABASE: 'postgres' },
    cmd: ['npx', 'mocha', '--config', 'test/.mocharc.integration-pg.json'] },
  { name: 'deps', kind: 'check', cmd: [NODE, 'test/harness/deps.mjs'] },
  { name: 'package', kind: 'check', cmd: ['npm', 'run', '--silent', 'package'], needs: ['build'] },
  { name: 'vsix-size', kind: 'check', cmd: [NODE, 'test/harness/vsixBudget.mjs'], needs: ['package'] },
  // These two may run in parallel (group 'vscode'); both need the VS Code cache and the build.
  { name: 'vscode', kind: 'summary', group: 'vscode', cmd: [NODE, 'test/harness/run-vscode-suite.mjs'], needs: ['build', 'deps'] },
  { name: 'e2e', kind: 'summary', group: 'vscode', cmd: [NODE, 'test/harness/run-e2e.mjs', '--no-package'], needs: ['deps', 'package'] },
];

/** Runs a command from the repo root, echoing its output (prefixed when parallel) and keeping a copy. */
function runStep(step, prefix) {
  return new Promise((resolve) => {
    const started = Date.now();
    const [cmd, ...args] = step.cmd;
    const env = { ...process.env, FORCE_COLOR: '0', ...step.env };
    const child = spawn(cmd, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const pending = { stdout: '', stderr: '' };
    const echo = (stream, chunk) => {
      const text = chunk.toString();
      output += text;
      if (!prefix) { process[stream].write(text); return; }
      const lines = (pending[stream] + text).split('\n');
      pending[stream] = lines.pop();
      for (const line of lines) process[stream].write(`${prefix}${line}\n`);
    };
    child.stdout.on('data', (c) => echo('stdout', c));
    child.stderr.on('data', (c) => echo('stderr', c));
    child.on('error', (err) => { output += `\n${err.message}\n`; });
    child.on('close', (code) => {
      for (const s of ['stdout', 'stderr']) if (pending[s]) process[s].write(`${prefix}${pending[s]}\n`);
      resolve({ code: code ?? 1, output, secs: (Date.now() - started) / 1000 });
    });
  });
}

const lastCount = (text, re) => { const all = [...text.matchAll(re)]; return all.length ? Number(all.at(-1)[1]) : undefined; };

function countsFor(step, { code, output }) {
  const text = stripVTControlCharacters(output);
  if (step.kind === 'check') return { passed: 0, failed: code === 0 ? 0 : 1, pending: 0, ok: code === 0 };
  let passed, failed, pending;
  if (step.kind === 'mocha') {
    passed = lastCount(text, /^\s*(\d+) passing\b/gm) ?? 0;
    failed = lastCount(text, /^\s*(\d+) failing\b/gm) ?? 0;
    pending = lastCount(text, /^\s*(\d+) pending\b/gm) ?? 0;
  } else {
    const m = [...text.matchAll(new RegExp(`^${step.name}: (\\d+) passed, (\\d+) failed`, 'gm'))].at(-1);
    passed = m ? Number(m[1]) : 0;
    failed = m ? Number(m[2]) : 0;
    pending = lastCount(text, /^\s*(\d+) pending\b/gm) ?? 0;
  }
  // A non-zero exit without a counted failure (crash, config error) is still one failure.
  if (code !== 0 && failed === 0) failed = 1;
  const ok = code === 0 && failed === 0 && passed > 0;
  return { passed, failed, pending, ok, note: passed + failed === 0 ? 'ran 0 tests' : undefined };
}

async function main() {
  const log = (line) => console.log(`[test] ${line}`);
  try {
    ensureDebianPackages({ log });
    await runOnSupportedNode({ log });
  } catch (err) {
    console.error(`[test] ${err.message}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  log(`Node ${process.versions.node} (${NODE})`);
  const results = new Map();
  const parallel = process.env.HANGAR_TEST_PARALLEL === '1';
  const skipReason = (step) => {
    if (only && !only.includes(step.name)) return 'not selected (HANGAR_TEST_ONLY)';
    const broken = (step.needs ?? []).filter((n) => results.get(n) && !results.get(n).ok);
    return broken.length ? `skipped: ${broken.join(', ')} failed` : undefined;
  };
  const execute = async (step, prefix = '') => {
    const reason = skipReason(step);
    if (reason) {
      console.log(`\n===== ${step.name}: SKIPPED (${reason}) =====`);
      results.set(step.name, { passed: 0, failed: 0, pending: 0, ok: false, skipped: true, note: reason, secs: 0 });
      return;
    }
    console.log(`\n===== ${step.name}: ${step.cmd.map((a) => (a === NODE ? 'node' : a)).join(' ')} =====`);
    const run = await runStep(step, prefix);
    const counts = countsFor(step, run);
    results.set(step.name, { ...counts, secs: run.secs, code: run.code });
    console.log(`===== ${step.name}: ${counts.ok ? 'ok' : 'FAILED'} (exit ${run.code}, ${run.secs.toFixed(1)} s) =====`);
  };

  for (let i = 0; i < STEPS.length; i++) {
    const step = STEPS[i];
    if (parallel && step.group) {
      const group = STEPS.filter((s) => s.group === step.group);
      await Promise.all(group.map((s) => execute(s, `[${s.name}] `)));
      i += group.length - 1;
    } else {
      await execute(step);
    }
  }

  console.log('\n===== summary =====');
  const row = (cols) => `${cols[0].padEnd(12)} ${cols[1].padStart(6)} ${cols[2].padStart(6)} ${cols[3].padStart(7)} ${cols[4].padStart(8)}  ${cols[5]}`;
  console.log(row(['step', 'passed', 'failed', 'pending', 'time', 'status']));
  let passed = 0;
  let failed = 0;
  let allOk = true;
  for (const step of STEPS) {
    const r = results.get(step.name);
    const status = r.skipped ? `SKIPPED (${r.note})` : r.ok ? 'ok' : `FAILED${r.note ? ` (${r.note})` : ''}`;
    const counted = step.kind !== 'check';
    console.log(row([step.name, counted ? String(r.passed) : '-', counted ? String(r.failed) : (r.failed ? '1' : '-'),
      counted ? String(r.pending) : '-', `${r.secs.toFixed(1)}s`, status]));
    passed += r.passed;
    failed += r.failed + (r.skipped ? 1 : 0); // a skipped step counts as a failure
    allOk &&= r.ok;
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(allOk && failed === 0 ? 0 : 1);
}

main();
