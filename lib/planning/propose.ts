import type { IntentionAnchorV2 } from '../contracts/anchor.ts';
import type { Effect } from '../contracts/common.ts';
import type { Gap, GapReportV1 } from '../contracts/gap-report.ts';
import type { Action, PlanProposalV1 } from '../contracts/plan-proposal.ts';
import { anchorId } from '../anchor/create-anchor.ts';
import { legacyReportId } from '../gaps/ids.ts';
import { budgetCompliance, overBudget } from '../governance/budget.ts';
import { decide, isProtectedPath, type GovernanceSubject } from '../governance/decide.ts';
import { matchingPattern } from '../governance/paths.ts';
import { compilePolicy, type GovernancePolicy } from '../governance/policy.ts';
import type { Registry } from '../registry/load.ts';
import type { ActionDefinition } from '../registry/types.ts';
import { displayCommand } from '../runner/run-check.ts';
import type { Clock } from '../util/clock.ts';
import { shortSha256 } from '../util/hash.ts';
import { compareCodePoints } from '../util/sort.ts';
import { remediationFor } from './remediation.ts';

/** `action-` + sha256(gap_id:action_type[:handler])[:12]: without a handler, the Python tool's id. */
export function actionId(gapId: string, actionType: string, handler?: string): string {
  return `action-${shortSha256(`${gapId}:${actionType}${handler ? `:${handler}` : ''}`, 12)}`;
}

/** `plan-` + sha256(anchor_id|gap_report_id|action_id:status|…)[:12]: the same inputs, the same id. */
export function proposalId(anchor: string, report: string, actions: ReadonlyArray<Pick<Action, 'action_id' | 'approval_status'>>): string {
  return `plan-${shortSha256([anchor, report, ...actions.map((a) => `${a.action_id}:${a.approval_status}`)].join('|'), 12)}`;
}

export interface ProposeOptions {
  anchor: IntentionAnchorV2;
  report: GapReportV1;
  registry: Registry;
  /** The run directory relative to the workspace (undefined when outside it): where run-local writes land. */
  runDirRel: string | undefined;
  clock: Clock;
  /** Protected paths of the config, added to the anchor's. */
  extraProtected?: readonly string[];
  /** Overrides the anchor's project id. */
  projectId?: string;
  version: string;
}

interface Draft {
  gap: Gap;
  action_type: Action['action_type'];
  title: string;
  description: string;
  risk_score: number;
  risk_factors: string[];
  target_paths: string[];
  command?: string;
  handler?: ActionDefinition;
  tokens: number;
  time_seconds: number;
  rollback: boolean;
}

const byId = (a: ActionDefinition, b: ActionDefinition) => compareCodePoints(a.id, b.id);

const SAFETY_ORDER = (h: ActionDefinition) => (h.effects.every((e) => e === 'read_only') ? 0 : 1);

/**
 * The `verify` handlers bound to a gap type: every handler that names the type (read-only ones
 * first), else the least-privileged `*` handler. A failed detector (`unknown`) gets none unless
 * a handler names it: there is nothing to re-check until the detector is fixed.
 */
export function verifiersFor(gapType: string, handlers: readonly ActionDefinition[]): ActionDefinition[] {
  const verifiers = handlers.filter((h) => h.action_types.includes('verify')).sort((a, b) => SAFETY_ORDER(a) - SAFETY_ORDER(b) || byId(a, b));
  const specific = verifiers.filter((h) => h.verifies?.includes(gapType));
  if (specific.length > 0 || gapType === 'unknown') return specific;
  const fallback = verifiers.find((h) => h.verifies?.includes('*'));
  return fallback ? [fallback] : [];
}

function remediationDraft(gap: Gap, handlers: readonly ActionDefinition[]): Draft {
  const remediation = remediationFor(gap);
  const handler = handlers
    .filter((h) => h.action_types.includes(remediation.action_type) && remediation.action_type !== 'verify')
    .sort(byId)[0];
  const command = remediation.command?.(gap);
  return {
    gap,
    action_type: remediation.action_type,
    title: remediation.title(gap.title ?? gap.gap_id),
    description: remediation.description,
    risk_score: remediation.risk_score,
    risk_factors: [...remediation.risk_factors],
    target_paths: [...(gap.evidence?.file_paths ?? [])],
    ...(command ? { command } : {}),
    ...(handler ? { handler } : {}),
    tokens: remediation.tokens,
    time_seconds: remediation.time_seconds,
    // Restoring makes sense for files, not for git's own state or lock files (W12).
    rollback: !['git_state_corruption', 'db_lock_contention'].includes(gap.gap_type),
  };
}

function verificationDraft(gap: Gap, handler: ActionDefinition): Draft {
  const argv = gap.evidence?.command_evidence?.argv;
  return {
    gap,
    action_type: 'verify',
    title: `Verify: ${gap.title ?? gap.gap_id}`,
    description: `${handler.title}: ${handler.description}`,
    risk_score: handler.effects.every((effect) => effect === 'read_only') ? 0.1 : 0.2,
    risk_factors: [handler.effects.every((effect) => effect === 'read_only') ? 'Read-only verification' : 'Writes only its run directory'],
    target_paths: [...(gap.evidence?.file_paths ?? [])],
    ...(argv ? { command: displayCommand(argv) } : {}),
    handler,
    tokens: 0,
    time_seconds: 5,
    rollback: false,
  };
}

function estimatedCost(draft: Draft): Action['estimated_cost'] | undefined {
  if (draft.tokens === 0 && draft.time_seconds === 0) return undefined;
  return {
    ...(draft.tokens ? { tokens: draft.tokens } : {}),
    ...(draft.time_seconds ? { time_seconds: draft.time_seconds } : {}),
    api_calls: 0,
  };
}

function subjectOf(draft: Draft, id: string, over: string | undefined): GovernanceSubject {
  return {
    action_id: id,
    action_type: draft.action_type,
    gap_types: [draft.gap.gap_type],
    risk_score: draft.risk_score,
    target_paths: draft.target_paths,
    ...(draft.handler ? { handler: { id: draft.handler.id, effects: draft.handler.effects } } : {}),
    ...(draft.command ? { command: draft.command } : {}),
    ...(over ? { over_budget: over } : {}),
  };
}

/**
 * Turns a gap report into a PlanProposalV1 under the anchor's policy. One remediation action
 * per gap (its command a suggestion, never run), plus a verification action wherever a
 * registered read-only handler can verify the gap. Every action is classified by the
 * governance module and carries its handler and effects. Never throws on a valid report.
 */
export function proposePlan(options: ProposeOptions): PlanProposalV1 {
  const started = options.clock.mark();
  const policy: GovernancePolicy = compilePolicy(options.anchor, options.extraProtected ?? []);
  const handlers = [...options.registry.actions.values()].map((loaded) => loaded.definition);
  const drafts: Draft[] = [];
  for (const gap of options.report.gaps) {
    drafts.push(remediationDraft(gap, handlers));
    for (const verifier of verifiersFor(gap.gap_type, handlers)) drafts.push(verificationDraft(gap, verifier));
  }

  const overs = overBudget(drafts, policy.budget);
  const notes: string[] = [];
  const violations: string[] = [];
  const actions: Action[] = drafts.map((draft, index) => {
    const id = actionId(draft.gap.gap_id, draft.action_type, draft.handler?.id);
    const decision = decide(subjectOf(draft, id, overs[index]), policy, { runDirRel: options.runDirRel });
    // A tripwire with the same matcher: nothing auto-approved may write a protected path (step 6 ensures it).
    const protectedWrite = decision.writes.find((path) => path !== options.runDirRel && matchingPattern(path, policy.neverAutoApprove) !== undefined);
    if (decision.status === 'auto_approved' && protectedWrite !== undefined) {
      violations.push(id);
      decision.status = 'requires_approval';
      decision.reason = `Would write protected path ${protectedWrite}`;
    }
    const shown = draft.target_paths.length;
    const total = draft.gap.evidence?.file_paths_total;
    if (total !== undefined && total > shown) notes.push(`${id}: its gap lists ${total} paths and the report shows ${shown}; the other ${total - shown} were not checked`);
    const cost = estimatedCost(draft);
    const rollbackPaths = draft.target_paths.filter((path) => !path.endsWith('/'));
    return {
      action_id: id,
      action_type: draft.action_type,
      title: draft.title,
      description: draft.description,
      target_gap_ids: [draft.gap.gap_id],
      risk_score: draft.risk_score,
      risk_factors: [...draft.risk_factors, ...decision.risk_factors],
      approval_status: decision.status,
      approval_reason: decision.reason,
      target_paths: draft.target_paths,
      ...(draft.command ? { command: draft.command } : {}),
      ...(draft.handler ? { handler: draft.handler.id, effects: [...draft.handler.effects].sort() as Effect[] } : {}),
      ...(cost ? { estimated_cost: cost } : {}),
      dependencies: [],
      ...(draft.rollback && rollbackPaths.length > 0 ? { rollback_strategy: displayCommand(['git', 'restore', '--', ...rollbackPaths]) } : {}),
    };
  });

  for (const entry of policy.unenforced) notes.push(`not enforced (not a path or action type): ${entry}`);
  for (const rule of policy.rules) if (rule.problem) notes.push(`auto_approve_rules ${rule.rule_id} ${rule.problem}`);

  const count = (status: Action['approval_status']) => actions.filter((action) => action.approval_status === status).length;
  const totalTokens = drafts.reduce((sum, draft) => sum + draft.tokens, 0);
  const totalTime = drafts.reduce((sum, draft) => sum + draft.time_seconds, 0);
  const anchor = anchorId(options.anchor);
  const reportId = options.report.report_id ?? legacyReportId(options.report.workspace_state_digest);
  return {
    format_version: 'v1',
    project_id: options.projectId ?? options.anchor.project_id,
    run_id: options.report.run_id,
    proposal_id: proposalId(anchor, reportId, actions),
    generated_at: options.clock.now().toISOString(),
    anchor_id: anchor,
    gap_report_id: reportId,
    autopilot_blocked: options.report.gaps.some((gap) => gap.blocks_autopilot),
    actions,
    summary: {
      total_actions: actions.length,
      auto_approved_actions: count('auto_approved'),
      requires_approval_actions: count('requires_approval'),
      blocked_actions: count('blocked'),
      ...(totalTokens ? { total_estimated_tokens: totalTokens } : {}),
      ...(totalTime ? { total_estimated_time_seconds: totalTime } : {}),
    },
    governance_checks: {
      default_deny_applied: policy.defaultPolicy !== 'allow',
      never_auto_approve_violations: violations,
      protected_path_checks: actions.flatMap((action) =>
        (action.target_paths ?? []).map((path) => ({ path, is_protected: isProtectedPath(path, policy), action_id: action.action_id })),
      ),
      budget_compliance: budgetCompliance(drafts, policy.budget),
      notes,
    },
    metadata: { proposer_version: options.version, generation_duration_ms: options.clock.since(started) },
  };
}
