import type { Effect } from '../contracts/common.ts';
import type { Action } from '../contracts/plan-proposal.ts';
import { AUTO_APPROVE_RISK, BLOCK_RISK, formatRisk, READ_ONLY_ACTION_TYPES, RULE_MAX_RISK, SAFE_EFFECTS } from './defaults.ts';
import { matchingPattern, normalizeWorkspacePath, pathHazard } from './paths.ts';
import type { GovernancePolicy } from './policy.ts';

/** What governance looks at for one action. */
export interface GovernanceSubject {
  action_id: string;
  action_type: Action['action_type'];
  gap_types: readonly string[];
  risk_score: number;
  /** Every path the action is about (its gap's evidence). */
  target_paths: readonly string[];
  /** The registered handler that would execute it, if any. */
  handler?: { id: string; effects: readonly Effect[] };
  command?: string;
  /** Why the action is over budget, if it is (see budget.ts). */
  over_budget?: string;
}

export interface Decision {
  status: Action['approval_status'];
  reason: string;
  /** The step of the decision order below that decided. */
  step: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;
  /** Risk factors to add to the action (a `warn` budget overrun). */
  risk_factors: string[];
  /** Workspace-relative paths the action may write. */
  writes: string[];
}

export interface DecisionContext {
  /** The run directory relative to the workspace, or undefined when it lies outside. */
  runDirRel: string | undefined;
}

/** Paths a handler may write, from its declared effects: read-only writes nothing, run-local only its run dir. */
export function writesOf(subject: GovernanceSubject, context: DecisionContext): string[] {
  if (!subject.handler) return [...subject.target_paths];
  const effects = subject.handler.effects;
  if (effects.every((effect) => effect === 'read_only')) return [];
  if (effects.every((effect) => (SAFE_EFFECTS as readonly string[]).includes(effect))) {
    return context.runDirRel === undefined ? [] : [context.runDirRel];
  }
  return [...subject.target_paths];
}

/**
 * Classifies one action. First match wins:
 * 1. a target path is absolute, escapes the workspace or hides characters → blocked;
 * 2. risk ≥ 0.8, or a target or the action type matches `never_allow` → blocked;
 * 3. over budget: `block` → blocked, `request_approval` → requires_approval, `warn` → a risk factor;
 * 4. no registered handler → requires_approval;
 * 5. the action type writes the repository by its nature (anything but `verify`), or the
 *    handler may do more than read or write its run directory → requires_approval;
 * 6. a write would land on a never-auto-approve path or outside non-empty `allowed_write_roots`,
 *    or the anchor requires approval for the action type → requires_approval;
 * 7. an auto-approve rule matches exactly (risk < 0.5, no `--execute`), or risk < 0.3 → auto_approved;
 * 8. otherwise `default_policy`: deny → requires_approval; allow → auto_approved (only actions
 *    that passed 1–6 get here: safe effects, allowed writes).
 */
export function decide(subject: GovernanceSubject, policy: GovernancePolicy, context: DecisionContext): Decision {
  const writes = writesOf(subject, context);
  const result = (status: Decision['status'], step: Decision['step'], reason: string, risk_factors: string[] = []): Decision => ({
    status,
    reason,
    step,
    risk_factors,
    writes,
  });

  // 1. Paths that cannot be trusted to mean what they say.
  for (const raw of subject.target_paths) {
    const normalized = normalizeWorkspacePath(raw);
    if (!normalized.ok && normalized.reason === 'absolute') return result('blocked', 1, `Target path is absolute: ${raw}`);
    if (!normalized.ok && normalized.reason === 'escapes') return result('blocked', 1, `Target path escapes the workspace: ${raw}`);
    const hazard = normalized.ok ? pathHazard(normalized.path) : undefined;
    if (hazard) return result('blocked', 1, `Target path has ${hazard}: ${JSON.stringify(raw)}`);
  }

  // 2. Too risky, or never allowed.
  if (subject.risk_score >= BLOCK_RISK) return result('blocked', 2, `High risk score: ${formatRisk(subject.risk_score)}`);
  if (policy.neverAllowTypes.has(subject.action_type)) return result('blocked', 2, `Action type ${subject.action_type} is in never_allow`);
  for (const raw of subject.target_paths) {
    const normalized = normalizeWorkspacePath(raw);
    const hit = normalized.ok ? matchingPattern(normalized.path, policy.neverAllow) : undefined;
    if (hit !== undefined) return result('blocked', 2, `Target ${raw} matches never_allow '${hit}'`);
  }

  // 3. Budget.
  const factors: string[] = [];
  if (subject.over_budget) {
    if (policy.budget.escalation === 'block') return result('blocked', 3, `Over budget (${subject.over_budget}); cost_escalation_policy is block`);
    if (policy.budget.escalation === 'request_approval') {
      return result('requires_approval', 3, `Over budget (${subject.over_budget}); cost_escalation_policy is request_approval`);
    }
    factors.push(`Over budget: ${subject.over_budget}`);
  }

  // 4. Only a registered handler can execute anything.
  if (!subject.handler) return result('requires_approval', 4, `No autonomous executor for action_type ${subject.action_type}`, factors);

  // 5. Only read-only and run-local handlers can be approved by a machine, and only for an action
  //    whose nature is to read: a file move is a repository write whatever its handler claims.
  if (!READ_ONLY_ACTION_TYPES.has(subject.action_type)) {
    return result('requires_approval', 5, `Action type ${subject.action_type} writes the repository by its nature: never auto-approved`, factors);
  }
  const unsafe = subject.handler.effects.filter((effect) => !(SAFE_EFFECTS as readonly string[]).includes(effect));
  if (unsafe.length > 0) {
    return result('requires_approval', 5, `Handler ${subject.handler.id} declares ${[...new Set(unsafe)].sort().join(', ')} effects`, factors);
  }

  // 6. Where it writes.
  if (policy.approvalTypes.has(subject.action_type)) {
    return result('requires_approval', 6, `Action type ${subject.action_type} requires approval (safety_risk.requires_approval)`, factors);
  }
  for (const path of writes) {
    const isRunDir = context.runDirRel !== undefined && path === context.runDirRel;
    const hit = matchingPattern(path, isRunDir ? policy.explicitProtected : policy.neverAutoApprove);
    if (hit !== undefined) return result('requires_approval', 6, `Writes ${path}, which matches never-auto-approve '${hit}'`, factors);
    if (policy.allowedWriteRoots.length > 0 && matchingPattern(path, policy.allowedWriteRoots) === undefined) {
      return result('requires_approval', 6, `Writes ${path}, outside allowed_write_roots`, factors);
    }
  }

  // 7. Narrow rules, or low risk.
  const ruleSubject = {
    action_type: subject.action_type,
    gap_types: subject.gap_types,
    handler: subject.handler.id,
    effects: subject.handler.effects,
    risk_score: subject.risk_score,
    target_paths: subject.target_paths,
  };
  const rule = policy.rules.find((candidate) => candidate.matches(ruleSubject));
  if (rule && subject.risk_score < RULE_MAX_RISK && !(subject.command ?? '').includes('--execute')) {
    return result('auto_approved', 7, `Matches auto-approval rule ${rule.rule_id}`, factors);
  }
  if (subject.risk_score < AUTO_APPROVE_RISK) {
    return result('auto_approved', 7, `Low risk (${formatRisk(subject.risk_score)}) with ${subject.handler.effects.join(', ')} effects only`, factors);
  }

  // 8. The anchor's default.
  if (policy.defaultPolicy === 'allow') {
    return result('auto_approved', 8, `Default-allow policy (${subject.handler.effects.join(', ')} effects only)`, factors);
  }
  return result('requires_approval', 8, 'Default-deny policy', factors);
}

/** Whether a (normalised) path is protected: what `governance_checks.protected_path_checks` reports. */
export function isProtectedPath(path: string, policy: GovernancePolicy): boolean {
  const normalized = normalizeWorkspacePath(path);
  if (!normalized.ok) return true;
  return matchingPattern(normalized.path, policy.neverAutoApprove) !== undefined || matchingPattern(normalized.path, policy.neverAllow) !== undefined;
}
