/** What the supervisor tells a worker (plain JSON over the fork's IPC channel). */
export interface WorkerConfig {
  runId: string;
  projectId: string;
  /** Absolute path of the run's worktree (the worker's cwd). */
  worktree: string;
  /** Absolute runs dir of the source repository: artifacts go there, never into the worktree. */
  runsDir: string;
  /** Absolute run directory in the source repository. */
  runDir: string;
  mode: 'autopilot' | 'exec';
  /** For `exec`: the command as argv, spawned with shell: false. */
  argv?: string[];
  /** For `autopilot`: an absolute anchor path (else the run's own run-local anchor). */
  anchorPath?: string;
  /** When the worktree's checkout ended (epoch ms): the index is refreshed once that second has passed. */
  checkoutEndedAt: number;
  /** The run's branch and the prefix every run branch of this supervisor has. */
  branch: string;
  branchPrefix: string;
}

export type SupervisorMessage = { type: 'start'; config: WorkerConfig };

export type WorkerMessage =
  | { type: 'started'; pid: number }
  | { type: 'progress'; message: string }
  | { type: 'result'; success: boolean; exit_code: number | null; error?: string; session_status?: string };

export const WORKER_MARKER = 'AUTOPACK_SUPERVISOR_WORKER';
/** The supervisor's pid, in the worker's environment: when the worker's parent is another process, the supervisor died. */
export const SUPERVISOR_PID_ENV = 'AUTOPACK_SUPERVISOR_PID';
