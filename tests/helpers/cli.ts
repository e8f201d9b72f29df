import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../lib/cli/program.ts';
import { testEnv } from './git-fixture.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The compiled CLI, as users run it. tests/run.ts builds it before the tests. */
export const BIN = fileURLToPath(new URL('../../dist/cli/bin/autopack.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI as a child process. */
export function runBin(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<CliResult> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does)`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: (options.env ?? testEnv()) as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr });
    });
  });
}

/** Runs the CLI in this process with captured streams (fast; same code path as bin). */
export async function runInProcess(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; gitBin?: string } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const stderrStream = { write: (chunk: string) => ((stderr += chunk), true), isTTY: false } as unknown as NodeJS.WritableStream;
  const code = await runCli(args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? testEnv(),
    stdout: (text) => (stdout += text),
    stderr: stderrStream,
    ...(options.gitBin ? { gitBin: options.gitBin } : {}),
  });
  return { code, stdout, stderr };
}
