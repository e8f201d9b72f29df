import { createHash, type Hash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import type { CommandEvidence } from '../contracts/gap-report.ts';
import type { Clock } from '../util/clock.ts';
import { sha256Hex } from '../util/hash.ts';
import { excerpt, type RedactOptions } from './redact.ts';
import { checkProgram } from './resolve-program.ts';

export interface CheckRequest {
  id: string;
  /** The command as argv. Never a command string: every element is passed as one word. */
  argv: readonly string[];
  /** Absolute working directory. */
  cwd: string;
  timeoutMs: number;
  env: Record<string, string | undefined>;
  clock: Clock;
  /** Absolute paths replaced in excerpts (the workspace root becomes `<workspace>`). */
  redact?: RedactOptions;
}

export interface CheckResult {
  id: string;
  argv: string[];
  /** Display form of the argv, for humans and the reference's `command` field. */
  command: string;
  passed: boolean;
  exit_code: number;
  /** Output as captured, at most OUTPUT_LIMIT bytes per stream; never written to an artifact as is. */
  stdout: string;
  stderr: string;
  /** Full sizes of the streams; more than OUTPUT_LIMIT means the captured text was cut. */
  stdout_bytes: number;
  stderr_bytes: number;
  stdout_truncated: boolean;
  stderr_truncated: boolean;
  stdout_hash: string;
  stdout_sha256: string;
  stderr_sha256: string;
  stdout_excerpt: string;
  stderr_excerpt: string;
  duration_ms: number;
  timed_out: boolean;
  error?: string;
}

/** Bytes of each stream kept in memory; the hashes always cover the whole stream. */
export const OUTPUT_LIMIT = 64 * 1024;

/**
 * A zx output store that hashes every chunk but keeps only the first OUTPUT_LIMIT bytes, so a
 * check that prints gigabytes costs no memory. zx only ever pushes to it and reads it back.
 */
class BoundedStream extends Array<Buffer> {
  readonly hash: Hash = createHash('sha256');
  bytes = 0;
  private kept = 0;
  static override get [Symbol.species]() {
    return Array;
  }
  override push(...chunks: Array<Buffer | string>): number {
    for (const chunk of chunks) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      this.hash.update(buffer);
      this.bytes += buffer.length;
      if (this.kept < OUTPUT_LIMIT) {
        const part = buffer.subarray(0, OUTPUT_LIMIT - this.kept);
        this.kept += part.length;
        super.push(part);
      }
    }
    return this.length;
  }
  text(): string {
    return Buffer.concat(this).toString('utf8');
  }
}

class DiscardStream extends Array<Buffer> {
  override push(): number {
    return 0;
  }
}

type ZxProcess = { kill(signal?: NodeJS.Signals): Promise<void> };
const running = new Set<ZxProcess>();

/** Kills every check still running (and its process group); for SIGINT handlers. */
export async function killRunningChecks(): Promise<void> {
  await Promise.all([...running].map((p) => p.kill('SIGKILL').catch(() => {})));
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** POSIX-quoted display of an argv. For showing only; autopack never executes this string. */
export function displayCommand(argv: readonly string[]): string {
  return argv.map((arg) => (SAFE_WORD.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/**
 * Runs one mechanical check through zx and records its evidence. The argv goes into zx as
 * one interpolated array, so zx quotes every element and nothing is expanded by the shell.
 * The child leads its own process group; a timeout kills the whole group.
 */
export async function runCheck(request: CheckRequest): Promise<CheckResult> {
  const argv = [...request.argv];
  const command = displayCommand(argv);
  const base = { id: request.id, argv, command };
  const cwd = isAbsolute(request.cwd) ? request.cwd : resolve(request.cwd);
  const problem = checkProgram(argv, cwd, request.env.PATH);
  if (problem) return failedToStart(base, problem.error, request);

  const started = request.clock.mark();
  const { $ } = await import('zx');
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.env)) if (value !== undefined) env[key] = value;
  // Checks must not leave bytecode caches behind in the workspace.
  env.PYTHONDONTWRITEBYTECODE = '1';

  let timedOut = false;
  const store = { stdout: new BoundedStream(), stderr: new BoundedStream(), stdall: new DiscardStream() };
  const child = $({
    cwd,
    env,
    nothrow: true,
    quiet: true,
    verbose: false,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    store,
  } as Parameters<typeof $>[0])`${argv}`;
  running.add(child);
  const timer = setTimeout(() => {
    timedOut = true;
    void child.kill('SIGKILL').catch(() => {});
  }, request.timeoutMs);
  let output;
  try {
    output = await child;
  } finally {
    clearTimeout(timer);
    running.delete(child);
  }
  const stdout = store.stdout.text();
  const stderr = store.stderr.text();
  const stdoutSha = store.stdout.hash.digest('hex');
  const stderrSha = store.stderr.hash.digest('hex');
  const exitCode = timedOut || output.exitCode === null ? -1 : output.exitCode;
  const error = timedOut
    ? `Command timed out after ${formatSeconds(request.timeoutMs)}`
    : output.exitCode === null
      ? `Command killed by ${output.signal ?? 'a signal'}`
      : undefined;
  return {
    ...base,
    passed: !timedOut && exitCode === 0,
    exit_code: exitCode,
    stdout,
    stderr,
    stdout_bytes: store.stdout.bytes,
    stderr_bytes: store.stderr.bytes,
    stdout_truncated: store.stdout.bytes > OUTPUT_LIMIT,
    stderr_truncated: store.stderr.bytes > OUTPUT_LIMIT,
    stdout_hash: stdoutSha.slice(0, 16),
    stdout_sha256: stdoutSha,
    stderr_sha256: stderrSha,
    stdout_excerpt: excerpt(stdout, request.redact),
    stderr_excerpt: excerpt(error && stderr.trim() === '' ? error : stderr, request.redact),
    duration_ms: request.clock.since(started),
    timed_out: timedOut,
    ...(error ? { error } : {}),
  };
}

function failedToStart(base: { id: string; argv: string[]; command: string }, error: string, request: CheckRequest): CheckResult {
  return {
    ...base,
    passed: false,
    exit_code: -1,
    stdout: '',
    stderr: '',
    stdout_bytes: 0,
    stderr_bytes: 0,
    stdout_truncated: false,
    stderr_truncated: false,
    stdout_hash: sha256Hex('').slice(0, 16),
    stdout_sha256: sha256Hex(''),
    stderr_sha256: sha256Hex(''),
    stdout_excerpt: '',
    stderr_excerpt: excerpt(error, request.redact),
    duration_ms: 0,
    timed_out: false,
    error,
  };
}

/** The evidence block a gap carries for a check (no raw output, only hashes and excerpts). */
export function toCommandEvidence(result: CheckResult): CommandEvidence {
  return {
    command: result.command,
    exit_code: result.exit_code,
    stdout_hash: result.stdout_hash,
    stderr_excerpt: result.stderr_excerpt,
    argv: result.argv,
    stdout_sha256: result.stdout_sha256,
    stderr_sha256: result.stderr_sha256,
    stdout_excerpt: result.stdout_excerpt,
    stdout_bytes: result.stdout_bytes,
    stderr_bytes: result.stderr_bytes,
    duration_ms: result.duration_ms,
    timed_out: result.timed_out,
    ...(result.error ? { error: result.error } : {}),
  };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
