import * as v from 'valibot';
import { DateTime, NonEmptyString } from './common.ts';

export const SupervisedRun = v.strictObject({
  run_id: NonEmptyString,
  success: v.boolean(),
  /** The worker's exit code (the command's, in --exec mode); null when it was killed or never started. */
  exit_code: v.nullable(v.pipe(v.number(), v.integer())),
  error: v.optional(v.string()),
  started_at: v.optional(DateTime),
  ended_at: v.optional(DateTime),
  /** Absolute path of the run's worktree (removed afterwards unless --keep-worktrees). */
  worktree: v.string(),
  /** For autopilot workers: the session's status. */
  session_status: v.optional(v.string()),
  /** The last 4 KiB of each stream; the whole output is in the log files. */
  stdout_tail: v.string(),
  stderr_tail: v.string(),
  stdout_log: v.optional(v.string()),
  stderr_log: v.optional(v.string()),
});

export const SupervisorResultV1 = v.strictObject({
  format_version: v.literal('v1'),
  supervisor_id: NonEmptyString,
  project_id: NonEmptyString,
  source_repo: v.string(),
  runs_dir: v.string(),
  mode: v.picklist(['autopilot', 'exec']),
  command: v.optional(v.array(v.string())),
  workers: v.pipe(v.number(), v.integer(), v.minValue(1)),
  effective_workers: v.pipe(v.number(), v.integer(), v.minValue(1)),
  status: v.picklist(['succeeded', 'failed', 'interrupted']),
  started_at: DateTime,
  ended_at: DateTime,
  runs: v.array(SupervisedRun),
});

export type SupervisorResultV1 = v.InferOutput<typeof SupervisorResultV1>;
export type SupervisedRun = v.InferOutput<typeof SupervisedRun>;
