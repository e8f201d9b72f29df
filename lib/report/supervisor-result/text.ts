import type { SupervisorResultV1 } from '../../contracts/supervisor-result.ts';
import type { Reporter } from '../types.ts';

const render: Reporter<SupervisorResultV1> = (result) =>
  `${result.runs.map((run) => `${run.run_id}: ${run.success ? 'SUCCESS' : 'FAILED'}${run.error ? `  ${run.error}` : ''}`).join('\n')}\nTotal: ${result.runs.filter((run) => run.success).length}/${result.runs.length} successful\n`;
export default render;
