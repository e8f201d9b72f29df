// Shared pieces of the supervisor tests: a source repository and an anchor allowing parallel
// runs, waiting for a condition with a deadline (never a sleep), and process liveness by /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from './cli.ts';
import { makeRepo, tempDir, testEnv } from './git-fixture.ts';

export const PARALLEL_ANCHOR = (max: number) =>
  JSON.stringify({ format_version: 'v2', project_id: 'p', created_at: '2026-01-06T12:00:00Z', raw_input_digest: '0123456789abcdef', pivot_intentions: { parallelism_isolation: { allowed: true, isolation_model: 'four_layer', max_concurrent_runs: max } } });

export function sourceRepo(files: Record<string, string> = {}) {
  const repo = makeRepo({ name: 'src', files: { 'README.md': '# r\n', 'a.txt': 'a\n', ...files } });
  const outside = tempDir();
  writeFileSync(join(outside, 'anchor.json'), PARALLEL_ANCHOR(32));
  return { repo, anchor: join(outside, 'anchor.json'), shared: tempDir(), runs: join(repo.dir, '.autonomous_runs') };
}

/** Alive and not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const state = /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
    return state !== undefined && state !== 'Z';
  } catch {
    return false;
  }
}

export async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

export const readPid = (path: string) => (existsSync(path) ? Number(readFileSync(path, 'utf8').trim()) : Number.NaN);

/** The CLI as a long-running child: stdout collected, `exited` resolves with its exit code. */
export function startBin(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }) {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: (options.env ?? testEnv()) as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk) => (output.stdout += chunk));
  child.stderr!.on('data', (chunk) => (output.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  running.add(child);
  void exited.then(() => running.delete(child));
  return { child, output, exited };
}

// A failed assertion must not leave a supervisor (and the test process) waiting forever.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
