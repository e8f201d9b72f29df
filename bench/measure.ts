// Timing helpers every bench module shares.
import { spawnSync } from 'node:child_process';

/** The median of the samples (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Wall time of one run of a command that must succeed (exit 0), in ms. */
export function timed(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.slice(0, 4).join(' ')}… exited ${result.status}: ${result.stderr.slice(-2000)}`);
  return ms;
}
