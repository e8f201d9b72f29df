import type { AutopilotSessionV1 } from '../../contracts/autopilot-session.ts';
import type { Reporter } from '../types.ts';

/** A session for humans (`--format text`): what ran, what waits for approval, and why. */
const render: Reporter<AutopilotSessionV1> = (session) => {
  const summary = session.execution_summary;
  const lines = [`${session.session_id}: ${session.status} (${summary?.executed_actions ?? 0} executed, ${summary?.failed_actions ?? 0} failed, ${session.approval_requests?.length ?? 0} waiting for approval)`];
  for (const result of session.action_results ?? []) {
    lines.push(`executed  ${result.action_id}  ${result.handler.padEnd(17)} ${(result.success ? (result.verdict ?? 'ok') : 'FAILED').padEnd(13)} ${result.summary}`);
  }
  for (const request of session.approval_requests ?? []) {
    lines.push(`${request.approval_status === 'blocked' ? 'blocked ' : 'approval'}  ${request.action_id}  ${request.reason}`);
  }
  for (const entry of session.error_log ?? []) lines.push(`error     ${entry.action_id ?? '-'}  ${entry.error_type}: ${entry.error_message}`);
  if (session.blocked_reason) lines.push(session.blocked_reason);
  return `${lines.join('\n')}\n`;
};
export default render;
