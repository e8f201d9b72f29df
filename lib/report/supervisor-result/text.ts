import type { SupervisorResultV1 } from '../../contracts/supervisor-result.ts';
import type { Reporter } from '../types.ts';

/** One line per run: its outcome, the commits on its branch, and why its worktree was kept. */
const render: Reporter<SupervisorResultV1> = (result) => {
  const lines = result.runs.map((run) => {
    const kept = run.worktree_kept ? `  [worktree kept: ${run.kept_reason}]` : '';
    const ahead = run.commits_ahead ? `  ${run.commits_ahead} commit(s) on ${run.branch}` : '';
    return `${run.run_id}: ${run.success ? 'SUCCESS' : 'FAILED'}${run.error ? `  ${run.error}` : ''}${ahead}${kept}`;
  });
  return `${lines.join('\n')}\nTotal: ${result.runs.filter((run) => run.success).length}/${result.runs.length} successful\n`;
};
export default render;
