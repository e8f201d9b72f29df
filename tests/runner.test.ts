// The mechanical-check runner with real processes: evidence, argv safety, missing programs,
// timeouts that take the whole process group down, redaction.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { displayCommand, runCheck, toCommandEvidence, type CheckRequest } from '../lib/runner/run-check.ts';
import { excerpt, redact } from '../lib/runner/redact.ts';
import { checkProgram, scriptArgument } from '../lib/runner/resolve-program.ts';
import { fixedClock, systemClock } from '../lib/util/clock.ts';
import { sha256Hex } from '../lib/util/hash.ts';
import { makeExecutable, tempDir, testEnv, writeTree } from './helpers/git-fixture.ts';

const dir = tempDir();
writeTree(dir, {
  'ok.py': 'print("all good")\n',
  'fail.py': 'import sys\nsys.stderr.write("drift in docs/index.md\\n")\nsys.exit(1)\n',
  'tool.sh': '#!/bin/sh\necho "$@"\n',
  'noexec.sh': '#!/bin/sh\necho hi\n',
});
makeExecutable(dir, 'tool.sh');

const base = (argv: string[], extra: Partial<CheckRequest> = {}): CheckRequest => ({
  id: 'check',
  argv,
  cwd: dir,
  timeoutMs: 20_000,
  env: testEnv(),
  clock: systemClock,
  redact: { paths: [[dir, '<workspace>']] },
  ...extra,
});

/** Alive and not a zombie (a killed process may wait a moment for its reaper). */
function isAlive(pid: number): boolean {
  try {
    const state = /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
    return state !== undefined && state !== 'Z' && state !== 'X';
  } catch {
    try {
      process.kill(pid, 0);
      return !existsSync('/proc/self');
    } catch {
      return false;
    }
  }
}

test('a passing check records exit code, hashes and output', async () => {
  const result = await runCheck(base(['python3', 'ok.py']));
  assert.is(result.exit_code, 0);
  assert.ok(result.passed);
  assert.is(result.stdout, 'all good\n');
  assert.is(result.stdout_hash, sha256Hex('all good\n').slice(0, 16));
  assert.is(result.stdout_sha256, sha256Hex('all good\n'));
  assert.is(result.stderr_sha256, sha256Hex(''));
  assert.is(result.command, 'python3 ok.py');
  assert.is(result.timed_out, false);
  assert.is(result.error, undefined);
});

test('a failing check keeps its exit code and a redacted stderr excerpt', async () => {
  const result = await runCheck(base(['python3', 'fail.py']));
  assert.is(result.exit_code, 1);
  assert.not.ok(result.passed);
  assert.is(result.stderr_excerpt, 'drift in docs/index.md');
  const evidence = toCommandEvidence(result);
  assert.is(evidence.command, 'python3 fail.py');
  assert.is(evidence.exit_code, 1);
  assert.is(evidence.stdout_hash, 'e3b0c44298fc1c14');
  assert.equal(evidence.argv, ['python3', 'fail.py']);
});

test('argv elements are passed as words: nothing is expanded or executed by a shell', async () => {
  const marker = join(dir, 'pwned');
  const hostile = [`$(touch ${marker})`, `\`touch ${marker}\``, `a; touch ${marker}`, '*', '$HOME', "it's", 'two words', '--x=$(id)', ''];
  const result = await runCheck(base(['./tool.sh', ...hostile]));
  assert.is(result.exit_code, 0);
  assert.is(result.stdout, `${hostile.join(' ')}\n`);
  assert.not.ok(existsSync(marker), 'no command substitution ran');
});

test('a missing program or script is exit -1 with "not found", and nothing runs', async () => {
  const program = await runCheck(base(['definitely-not-a-program-xyz', '--flag']));
  assert.equal([program.exit_code, program.error, program.passed], [-1, 'Program not found: definitely-not-a-program-xyz', false]);
  assert.is(program.stderr_excerpt, 'Program not found: definitely-not-a-program-xyz');
  const script = await runCheck(base(['python3', 'scripts/check_docs_drift.py']));
  assert.equal([script.exit_code, script.error], [-1, 'Script not found: scripts/check_docs_drift.py']);
  const path = await runCheck(base(['./missing.sh']));
  assert.equal([path.exit_code, path.error], [-1, 'Script not found: ./missing.sh']);
  const noexec = await runCheck(base(['./noexec.sh']));
  assert.equal([noexec.exit_code, noexec.error], [-1, 'Script not executable: ./noexec.sh']);
});

test('script detection understands interpreter flags', () => {
  assert.is(scriptArgument(['python3', '-u', 'x.py', '--check']), 'x.py');
  assert.is(scriptArgument(['python', '-m', 'pytest', 'tests']), undefined);
  assert.is(scriptArgument(['node', '--import', 'tsx', 'a.ts']), 'a.ts');
  assert.is(scriptArgument(['bash', '-c', 'echo hi']), undefined);
  assert.is(scriptArgument(['npm', 'run', 'docs:check']), undefined);
  assert.is(checkProgram(['python3', '-c', 'print(1)'], dir, testEnv().PATH), undefined);
});

test('a timeout kills the whole process group, grandchildren included', async () => {
  const pidFile = join(dir, 'grandchild.pid');
  const started = Date.now();
  const result = await runCheck(base(['bash', '-c', `sleep 30 & echo $! > ${pidFile}; wait`], { timeoutMs: 700 }));
  assert.ok(Date.now() - started < 10_000, 'returned promptly');
  assert.ok(result.timed_out);
  assert.is(result.exit_code, -1);
  assert.match(result.error ?? '', /timed out after 0\.7s/);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  let alive = isAlive(pid);
  for (let i = 0; i < 250 && alive; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    alive = isAlive(pid);
  }
  assert.not.ok(alive, `grandchild ${pid} was killed`);
});

test('captured output is bounded to 64 KiB per stream and marked; the hash covers everything', async () => {
  const result = await runCheck(base(['python3', '-c', 'import sys\nsys.stdout.write("x" * 1000000)\nsys.stderr.write("e" * 10)']));
  assert.equal([result.stdout_bytes, result.stdout.length, result.stdout_truncated], [1_000_000, 64 * 1024, true]);
  assert.is(result.stdout_sha256, sha256Hex('x'.repeat(1_000_000)));
  assert.equal([result.stderr_bytes, result.stderr_truncated, result.stderr], [10, false, 'e'.repeat(10)]);
  assert.is(toCommandEvidence(result).stdout_bytes, 1_000_000);
});

test('with a fixed clock durations are 0', async () => {
  const result = await runCheck(base(['python3', 'ok.py'], { clock: fixedClock(new Date(0)) }));
  assert.is(result.duration_ms, 0);
});

test('redaction: workspace path, key=value secrets, known token shapes; excerpts are bounded', () => {
  const text = [
    `error in ${dir}/docs/x.md`,
    'password=hunter2 token: abc.def API_KEY="s3cr3t"',
    'AKIAABCDEFGHIJKLMNOP ghp_0123456789abcdefghijklmnopqrstuvwxyz',
    'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload',
    'https://user:pa55@example.com/repo.git',
  ].join('\n');
  const clean = redact(text, { paths: [[dir, '<workspace>']] });
  assert.match(clean, /error in <workspace>\/docs\/x\.md/);
  for (const secret of ['hunter2', 'abc.def', 's3cr3t', 'AKIAABCDEFGHIJKLMNOP', 'ghp_0123456789', 'eyJhbGciOiJIUzI1NiJ9', 'pa55']) {
    assert.not.ok(clean.includes(secret), secret);
  }
  const long = excerpt('x'.repeat(2000));
  assert.is(long.length, 500);
  assert.ok(long.endsWith('…[truncated]'));
  assert.is(excerpt('  short  '), 'short');
});

test('display commands quote what a shell would split, for humans only', () => {
  assert.is(displayCommand(['python', 'scripts/check_docs_drift.py']), 'python scripts/check_docs_drift.py');
  assert.is(displayCommand(['echo', 'two words', "it's"]), `echo 'two words' 'it'\\''s'`);
});

test.run();
