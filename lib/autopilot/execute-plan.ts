import type { ActionResult, AutopilotSessionV1 } from '../contracts/autopilot-session.ts';
import type { GapReportV1 } from '../contracts/gap-report.ts';
import type { PlanProposalV1 } from '../contracts/plan-proposal.ts';
import type { Fingerprint } from '../git/fingerprint.ts';
import { executeAction } from './execute-action.ts';
import type { SessionContext } from './session-context.ts';

type ApprovalRequest = NonNullable<AutopilotSessionV1['approval_requests']>[number];
type ErrorEntry = NonNullable<AutopilotSessionV1['error_log']>[number];

/** What executing a plan did: every action either ran (with its result) or waits for a human. */
export interface ExecutionLog {
  approvals: ApprovalRequest[];
  results: ActionResult[];
  executed: string[];
  errors: ErrorEntry[];
  /** The workspace after the last action (the session's end state). */
  last: Fingerprint;
}

/** Why an auto-approved action still does not run in this session, if it does not. */
function heldBack(effects: readonly string[], blocking: readonly string[], write: boolean): string | undefined {
  if (blocking.length > 0 && !effects.every((effect) => effect === 'read_only')) {
    return `A gap blocks autopilot (${blocking.join(', ')}): only read-only verification runs`;
  }
  if (!write && effects.includes('run_local_write')) return 'Writes its run directory: re-run with --write';
  return undefined;
}

/**
 * Executes the plan's auto-approved actions in plan order through their handlers; everything
 * else becomes an approval request. The workspace is fingerprinted once per state: before the
 * first action, then after each (which is the next one's "before").
 */
export async function executePlan(session: SessionContext, report: GapReportV1, plan: PlanProposalV1, start: Fingerprint): Promise<ExecutionLog> {
  const log: ExecutionLog = { approvals: [], results: [], executed: [], errors: [], last: start };
  const blocking = report.gaps.filter((gap) => gap.blocks_autopilot).map((gap) => gap.gap_id);
  const now = () => session.workspace.clock.now().toISOString();
  for (const action of plan.actions) {
    if (action.approval_status !== 'auto_approved') {
      log.approvals.push({ action_id: action.action_id, approval_status: action.approval_status, reason: action.approval_reason ?? 'No reason provided' });
      continue;
    }
    const held = heldBack(action.effects ?? [], blocking, session.write);
    if (held) {
      log.approvals.push({ action_id: action.action_id, approval_status: 'requires_approval', reason: held });
      continue;
    }
    const { outcome, after } = await executeAction(action, session, report, log.last);
    if (after) log.last = after;
    if (!outcome.executed) {
      log.approvals.push({ action_id: action.action_id, ...outcome.refusal });
      continue;
    }
    log.executed.push(action.action_id);
    log.results.push(outcome.result);
    if (outcome.error) log.errors.push({ timestamp: now(), action_id: action.action_id, ...outcome.error });
  }
  return log;
}
