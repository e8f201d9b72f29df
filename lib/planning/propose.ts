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
import { fillTemplate } from '../gaps/build-gap.ts';
import type { ActionEntry, Registry } from '../registry/load.ts';
import type { PlanFacts, RemediationSpec } from '../registry/types.ts';
import { displayCommand } from '../runner/run-check.ts';
import type { Clock } from '../util/clock.ts';
import { shortSha256 } from '../util/hash.ts';
import { compareCodePoints } from '../util/sort.ts';
import { remediationsFor } from './remediation.ts';
import { remediationTexts, type RemediationTexts } from './remediation-texts.ts';

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
  /** Protected paths of the config, added to the anchor's (when `policy` is not given). */
  extraProtected?: readonly string[];
  /** The policy compiled from the anchor and config, when the caller has it already. */
  policy?: GovernancePolicy;
  /** What the planner may look up about the workspace (for rollbacks); nothing by default. */
  facts?: PlanFacts;
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
  handler?: Handler;
  tokens: number;
  time_seconds: number;
  rollback?: string;
}

/** What planning needs of a handler: its declaration (the module itself is not imported to plan). */
type Handler = Pick<ActionEntry, 'id' | 'title' | 'description' | 'action_types' | 'effects' | 'verifies'>;

const byId = (a: Handler, b: Handler) => compareCodePoints(a.id, b.id);

const SAFETY_ORDER = (h: Handler) => (h.effects.every((e) => e === 'read_only') ? 0 : 1);

const NO_FACTS: PlanFacts = { tracked: () => undefined };

/**
 * The `verify` handlers bound to a gap type: every handler that names the type (read-only ones
 * first), else the least-privileged `*` handler. A failed detector (`unknown`) gets none unless
 * a handler names it: there is nothing to re-check until the detector is fixed.
 */
export function verifiersFor<T extends Handler>(gapType: string, handlers: readonly T[]): T[] {
  const verifiers = handlers.filter((h) => h.action_types.includes('verify')).sort((a, b) => SAFETY_ORDER(a) - SAFETY_ORDER(b) || byId(a, b));
  const specific = verifiers.filter((h) => h.verifies?.includes(gapType));
  if (specific.length > 0 || gapType === 'unknown') return specific;
  const fallback = verifiers.find((h) => h.verifies?.includes('*'));
  return fallback ? [fallback] : [];
}

function remediationDraft(gap: Gap, spec: RemediationSpec, handlers: readonly Handler[], { command, rollback }: RemediationTexts): Draft {
  const handler = spec.action_type === 'verify' ? undefined : handlers.filter((h) => h.action_types.includes(spec.action_type)).sort(byId)[0];
  return {
    gap,
    action_type: spec.action_type,
    title: fillTemplate(spec.title, { title: gap.title ?? gap.gap_id }),
    description: spec.description,
    risk_score: spec.risk_score,
    risk_factors: [...(spec.risk_factors ?? [])],
    target_paths: [...(gap.evidence?.file_paths ?? [])],
    ...(command ? { command } : {}),
    ...(handler ? { handler } : {}),
    tokens: spec.cost?.tokens ?? 0,
    time_seconds: spec.cost?.time_seconds ?? 0,
    ...(rollback ? { rollback } : {}),
  };
}

function verificationDraft(gap: Gap, handler: Handler): Draft {
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
 * Turns a gap report into a PlanProposalV1 under the anchor's policy. The remediation actions
 * of each gap come from its own detector (their commands suggestions, never run), plus a
 * verification action wherever a registered handler can verify the gap. Every action is
 * classified by the governance module and carries its handler and effects. Never throws on a
 * valid report.
 */
export async function proposePlan(options: ProposeOptions): Promise<PlanProposalV1> {
  const started = options.clock.mark();
  const policy: GovernancePolicy = options.policy ?? compilePolicy(options.anchor, options.extraProtected ?? []);
  const facts = options.facts ?? NO_FACTS;
  const handlers: Handler[] = [...options.registry.actions.values()];
  const drafts: Draft[] = [];
  const items = await Promise.all(options.report.gaps.map(async (gap) => ({ gap, specs: await remediationsFor(gap, options.registry) })));
  const texts = await remediationTexts(items, options.registry, facts);
  for (const [index, { gap, specs }] of items.entries()) {
    specs.forEach((spec, specIndex) => drafts.push(remediationDraft(gap, spec, handlers, texts[index]![specIndex]!)));
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
      ...(draft.rollback ? { rollback_strategy: draft.rollback } : {}),
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
