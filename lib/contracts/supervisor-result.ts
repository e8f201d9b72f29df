import * as v from 'valibot';
import { DateTime, NonEmptyString, NonNegativeInt } from './common.ts';

const CommitId = v.pipe(v.string(), v.regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/));

export const SupervisedRun = v.strictObject({
  run_id: NonEmptyString,
  success: v.boolean(),
  /** The worker's exit code (the command's, in --exec mode); null when it was killed or never started. */
  exit_code: v.nullable(v.pipe(v.number(), v.integer())),
  error: v.optional(v.string()),
  started_at: v.optional(DateTime),
  ended_at: v.optional(DateTime),
  /** Absolute path of the run's worktree (removed afterwards when it holds no work, unless --keep-worktrees). */
  worktree: v.string(),
  /** The run's branch (`autopack/<run_id>` by default): its commits outlive the worktree. */
  branch: v.optional(NonEmptyString),
  /** The source repository's HEAD when the supervisor started: what the run is compared with. */
  base: v.optional(CommitId),
  /** The worktree's HEAD when the run ended. */
  head: v.optional(CommitId),
  /** Commits on `head` that `base` does not have: what merging the branch would bring. */
  commits_ahead: v.optional(NonNegativeInt),
  /** Commits no ref reaches (made on a detached HEAD): work, kept with the worktree. */
  unreferenced_commits: v.optional(NonNegativeInt),
  /** Changed and untracked files left in the worktree (ignored files are not counted): the count, and the first paths. */
  dirty_files: v.optional(v.strictObject({ count: NonNegativeInt, paths: v.array(v.string()) })),
  /** Whether the worktree is still there after the run, and why. */
  worktree_kept: v.optional(v.boolean()),
  kept_reason: v.optional(v.picklist(['holds_work', 'keep_worktrees', 'uninspectable', 'removal_refused'])),
  /** With --discard-work: what an earlier run had left in the worktree and this run threw away. */
  discarded_work: v.optional(v.string()),
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
