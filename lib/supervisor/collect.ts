import { resolve } from 'node:path';
import * as v from 'valibot';
import { formatIssues, issuesToLines } from '../contracts/issues.ts';
import { SupervisedRun, SupervisorResultV1 } from '../contracts/supervisor-result.ts';
import { AutopackError } from '../util/errors.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { shortSha256 } from '../util/hash.ts';
import { readCollectedDir, type CollectedPart } from './collect-read.ts';
import { validateSuperviseInput } from './prepare.ts';

export interface CollectOptions {
  /** The runs dirs of the matrix jobs, as downloaded, in the order their runs are listed (without `runIds`). */
  dirs: readonly string[];
  cwd: string;
  /**
   * The runs the result must hold, in this order. A run id no folder holds is a failed run
   * (its job uploaded nothing: it never started, or died first); a run a folder holds that is
   * not listed is refused.
   */
  runIds?: readonly string[] | undefined;
  /** How many runs ran at once (the matrix's max-parallel); default: every run. */
  workers?: number | undefined;
  clock?: Clock;
}

/** The record of a run whose job left no result. */
function missingRun(runId: string): SupervisedRun {
  return { run_id: runId, success: false, exit_code: null, error: 'no result: none of the collected folders holds this run (did its job upload its runs dir?)', worktree: '', stdout_tail: '', stderr_tail: '' };
}

/** One value every part must agree on, or exit 2 naming two folders that do not. */
function agreed<T>(parts: readonly CollectedPart[], what: string, pick: (result: SupervisorResultV1) => T): T {
  const first = parts[0]!;
  const key = JSON.stringify(pick(first.result));
  const other = parts.find((part) => JSON.stringify(pick(part.result)) !== key);
  if (other) {
    throw new AutopackError(`The results disagree on ${what}: ${first.file} has ${key}, ${other.file} has ${JSON.stringify(pick(other.result))}`, {
      hint: 'collect the runs of one fan-out: every job runs the same command for the same project',
    });
  }
  return pick(first.result);
}

/** Every run of every part, in folder order, each run id once. */
function runsOf(parts: readonly CollectedPart[]): Map<string, { run: SupervisedRun; file: string }> {
  const runs = new Map<string, { run: SupervisedRun; file: string }>();
  for (const part of parts) {
    for (const run of part.result.runs) {
      const earlier = runs.get(run.run_id);
      if (earlier) throw new AutopackError(`Run ${run.run_id} is in two results: ${earlier.file} and ${part.file}`, { hint: 'pass each matrix job\'s runs dir once' });
      runs.set(run.run_id, { run, file: part.file });
    }
  }
  return runs;
}

const earliest = (times: string[]) => times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
const latest = (times: string[]) => times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));

/**
 * Merges the supervisor results that the jobs of a fan-out left, one per runs dir, into one
 * SupervisorResultV1 of the same shape as a local supervise of the same runs: the runs in
 * order, each as its job recorded it. `succeeded` only when every run succeeded (a missing run
 * fails); `interrupted` when a job was. Times span the parts' (with a fixed clock, as under
 * SOURCE_DATE_EPOCH, they are that time); the id is derived from the parts' ids, never random.
 */
export async function collectSupervisorResults(options: CollectOptions): Promise<SupervisorResultV1> {
  if (options.dirs.length === 0) throw new AutopackError('No folders to collect: pass the runs dir of each matrix job');
  if (options.runIds) validateSuperviseInput(options.runIds, 1, undefined);
  const parts: CollectedPart[] = [];
  for (const dir of options.dirs) parts.push(await readCollectedDir(resolve(options.cwd, dir), dir));
  const mode = agreed(parts, 'mode', (result) => result.mode);
  const command = agreed(parts, 'the command', (result) => result.command);
  const projectId = agreed(parts, 'the project id', (result) => result.project_id);
  const found = runsOf(parts);
  let runs: SupervisedRun[];
  if (options.runIds) {
    const expected = new Set(options.runIds);
    const stray = [...found.entries()].find(([runId]) => !expected.has(runId));
    if (stray) throw new AutopackError(`${stray[1].file} holds run ${stray[0]}, which is not in --run-ids`, { hint: 'pass the run ids of the matrix, or leave out --run-ids to take every run found' });
    runs = options.runIds.map((runId) => found.get(runId)?.run ?? missingRun(runId));
  } else {
    runs = [...found.values()].map((entry) => entry.run);
  }
  const clock = options.clock ?? systemClock;
  const workers = options.workers ?? runs.length;
  const first = parts[0]!.result;
  const result: SupervisorResultV1 = {
    format_version: 'v1',
    supervisor_id: `supervisor-${shortSha256(`collect|${parts.map((part) => part.result.supervisor_id).join(',')}|${runs.map((run) => run.run_id).join(',')}`, 8)}`,
    project_id: projectId,
    source_repo: first.source_repo,
    runs_dir: first.runs_dir,
    mode,
    ...(command ? { command } : {}),
    workers,
    effective_workers: Math.min(workers, runs.length),
    status: parts.some((part) => part.result.status === 'interrupted') ? 'interrupted' : runs.every((run) => run.success) ? 'succeeded' : 'failed',
    started_at: clock.fixed ? clock.now().toISOString() : earliest(parts.map((part) => part.result.started_at)),
    ended_at: clock.fixed ? clock.now().toISOString() : latest(parts.map((part) => part.result.ended_at)),
    runs,
  };
  const checked = v.safeParse(SupervisorResultV1, result);
  if (!checked.success) throw new Error(`internal error: collected supervisor result: ${issuesToLines(formatIssues(checked.issues)).join('; ')}`);
  return result;
}
