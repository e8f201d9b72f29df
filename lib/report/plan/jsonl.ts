import type { PlanProposalV1 } from '../../contracts/plan-proposal.ts';
import type { Reporter } from '../types.ts';

/**
 * `--format jsonl`: an `"action"` record per action (the action as in the plan, plus
 * `proposal_id` to join lines of one plan), then one `"summary"` record last: the plan without
 * its actions. Every line is valid JSON on its own.
 */
const render: Reporter<PlanProposalV1> = (plan) => {
  const { actions, ...rest } = plan;
  const proposalId = plan.proposal_id ?? null;
  const lines = actions.map((action) => JSON.stringify({ type: 'action', proposal_id: proposalId, ...action }));
  lines.push(JSON.stringify({ type: 'summary', ...rest, proposal_id: proposalId }));
  return `${lines.join('\n')}\n`;
};
export default render;
