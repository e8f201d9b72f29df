// The project's test command (`npm test`): build, typecheck, every uvu test file in its own
// process (two at a time), and a Deno smoke run of the CLI. Ends with `N passed, N failed`.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { glob } from 'tinyglobby';
import { runDenoSmoke } from './helpers/deno-smoke.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const skipDeno = process.argv.includes('--no-deno') || filters.length > 0;

interface Outcome {
  name: string;
  passed: number;
  failed: number;
  output: string;
  ms: number;
}

function run(command: string, args: string[], timeoutMs = 600_000): Promise<{ code: number; output: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      output += `\n[timed out after ${timeoutMs / 1000}s]`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output, ms: Date.now() - started });
    });
  });
}

async function step(name: string, command: string, args: string[]): Promise<Outcome> {
  const result = await run(command, args);
  return { name, passed: result.code === 0 ? 1 : 0, failed: result.code === 0 ? 0 : 1, output: result.output, ms: result.ms };
}

function count(output: string, label: string): number | undefined {
  const match = new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm').exec(output.replace(/\x1b\[[0-9;]*m/g, ''));
  return match ? Number(match[1]) : undefined;
}

async function testFile(file: string): Promise<Outcome> {
  const result = await run(process.execPath, ['--import', 'tsx', file]);
  const total = count(result.output, 'Total');
  const passed = count(result.output, 'Passed');
  if (total === undefined || passed === undefined) {
    return { name: file, passed: 0, failed: 1, output: result.output || `exit ${result.code}`, ms: result.ms };
  }
  const skipped = count(result.output, 'Skipped') ?? 0;
  let failed = total - passed - skipped;
  if (result.code !== 0 && failed === 0) failed = 1;
  return { name: file, passed, failed, output: result.output, ms: result.ms };
}

async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<Outcome>): Promise<Outcome[]> {
  const results: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, size) }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        const outcome = await fn(item);
        results.push(outcome);
        const mark = outcome.failed > 0 ? 'FAIL' : 'ok  ';
        process.stdout.write(`${mark} ${outcome.name} (${outcome.passed} passed, ${outcome.failed} failed, ${(outcome.ms / 1000).toFixed(1)}s)\n`);
      }
    }),
  );
  return results;
}

/**
 * package.json's `build` script: tsc's library (dist/lib) and the esbuild bundle of the CLI
 * (dist/cli) that the tests run as users do. Nothing else builds a clone (there is no `prepare`
 * script), so the tests never run a stale or missing dist/. Through the npm that runs us, else
 * the one on PATH.
 */
function buildCommand(): [string, string[]] {
  const npmCli = process.env.npm_execpath;
  const args = ['run', 'build', '--silent'];
  return npmCli && /\.[cm]?js$/.test(npmCli) ? [process.execPath, [npmCli, ...args]] : ['npm', args];
}

const outcomes: Outcome[] = [];
for (const [name, command, args] of [
  ['build', ...buildCommand()],
  ['typecheck', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']],
] as const) {
  const outcome = await step(name, command, [...args]);
  outcomes.push(outcome);
  process.stdout.write(`${outcome.failed ? 'FAIL' : 'ok  '} ${name} (${(outcome.ms / 1000).toFixed(1)}s)\n`);
}

let files = (await glob('tests/**/*.test.ts', { cwd: root })).sort();
if (filters.length > 0) files = files.filter((file) => filters.some((filter) => file.includes(filter)));
outcomes.push(...(await pool(files, Math.min(3, availableParallelism()), testFile)));

if (!skipDeno) {
  const started = Date.now();
  const smoke = await runDenoSmoke(root);
  outcomes.push({ name: 'deno smoke', passed: smoke.ok ? 1 : 0, failed: smoke.ok ? 0 : 1, output: smoke.output, ms: Date.now() - started });
  process.stdout.write(`${smoke.ok ? 'ok  ' : 'FAIL'} deno smoke: ${smoke.summary}\n`);
}

const failures = outcomes.filter((outcome) => outcome.failed > 0);
for (const failure of failures) process.stdout.write(`\n----- ${failure.name} -----\n${failure.output.trim()}\n`);
const passed = outcomes.reduce((sum, outcome) => sum + outcome.passed, 0);
const failed = outcomes.reduce((sum, outcome) => sum + outcome.failed, 0);
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
