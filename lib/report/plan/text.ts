import type { PlanProposalV1 } from '../../contracts/plan-proposal.ts';
import { countOf } from '../human.ts';
import type { Reporter } from '../types.ts';

/** One line per action (status, id, type, handler, title, reason), then a summary; for `--format text`. */
const render: Reporter<PlanProposalV1> = (plan) => {
  const lines = plan.actions.map(
    (action) =>
      `${action.approval_status.padEnd(17)} ${action.action_id}  ${action.action_type.padEnd(13)} ${(action.handler ?? '-').padEnd(17)} ${action.title ?? ''} — ${action.approval_reason ?? ''}`,
  );
  const summary = plan.summary;
  lines.push(
    `${countOf(summary?.total_actions ?? plan.actions.length, 'action')}: ${summary?.auto_approved_actions ?? 0} auto-approved, ` +
      `${summary?.requires_approval_actions ?? 0} ${summary?.requires_approval_actions === 1 ? 'requires' : 'require'} approval, ${summary?.blocked_actions ?? 0} blocked` +
      `${plan.autopilot_blocked ? '; a gap blocks autopilot' : ''}; ${plan.proposal_id ?? ''}`,
  );
  return `${lines.join('\n')}\n`;
};
export default render;
