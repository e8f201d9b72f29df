import { AutopackError } from '../util/errors.ts';
import { prepareSupervision, type PrepareOptions } from './prepare.ts';

/** One job of the fan-out: what a CI job needs to run one run id on its own machine. */
export interface MatrixEntry {
  run_id: string;
  /** The run's branch, `<prefix><run_id>`: created from `base`, or continued when it exists. */
  branch: string;
  /** The project id every job uses, so that the run directories (and the collected result) agree. */
  project_id: string;
  /** The source commit every job checks out, so that all runs start from the same state even if the branch moves meanwhile. */
  base: string;
}

/** A GitHub Actions `strategy.matrix` that lists its jobs explicitly. */
export interface GithubMatrix {
  include: MatrixEntry[];
}

/** GitHub Actions runs at most this many jobs of one matrix. */
export const GITHUB_MATRIX_LIMIT = 256;

/**
 * The runs of a supervision as a GitHub Actions job matrix, one entry per run id in input
 * order. It passes exactly the checks and the parallelism gate a local supervise passes (the
 * number of runs at once is min(workers, runs), which the workflow uses as `max-parallel`), and
 * like them it only reads: no worktree, lock, lease or runs dir is created. It starts nothing,
 * so it needs no enabling; the jobs that run the entries do.
 */
export async function githubMatrix(options: PrepareOptions): Promise<GithubMatrix> {
  if (options.runIds.length > GITHUB_MATRIX_LIMIT) {
    throw new AutopackError(`${options.runIds.length} run ids: a GitHub Actions matrix holds at most ${GITHUB_MATRIX_LIMIT} jobs`, { hint: 'split the run ids over several workflow runs' });
  }
  const { workspace, base, branchPrefix } = await prepareSupervision(options);
  return { include: options.runIds.map((runId) => ({ run_id: runId, branch: `${branchPrefix}${runId}`, project_id: workspace.projectId, base })) };
}

/** The matrix as one line of JSON: `echo "matrix=$(autopack …)" >> "$GITHUB_OUTPUT"` takes a single line. */
export function matrixLine(matrix: GithubMatrix): string {
  return `${JSON.stringify(matrix)}\n`;
}
