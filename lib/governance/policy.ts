import type { IntentionAnchorV2 } from '../contracts/anchor.ts';
import { ACTION_TYPES } from '../contracts/plan-proposal.ts';
import { compileRule, type CompiledRule } from './conditions.ts';
import { NEVER_AUTO_APPROVE_DEFAULTS } from './defaults.ts';
import { compilePathPattern, type PathPattern } from './paths.ts';

export interface BudgetPolicy {
  tokenCapGlobal?: number;
  tokenCapPerCall?: number;
  timeCapSeconds?: number;
  escalation: 'block' | 'warn' | 'request_approval';
}

/** Everything of an anchor (and config) that bears on a decision, compiled once. */
export interface GovernancePolicy {
  /** Writes here need a human: defaults + anchor protected paths + path-like requires_approval + config protected_paths. */
  neverAutoApprove: PathPattern[];
  /** The subset of neverAutoApprove that came from the anchor and config (checked for run-local writes too). */
  explicitProtected: PathPattern[];
  /** Touching these is blocked (path-like `never_allow` entries). */
  neverAllow: PathPattern[];
  /** Action types that are blocked / always need approval (`never_allow` / `requires_approval` entries naming a type). */
  neverAllowTypes: Set<string>;
  approvalTypes: Set<string>;
  /** Non-empty: writes must land below one of these. */
  allowedWriteRoots: PathPattern[];
  defaultPolicy: 'deny' | 'allow';
  rules: CompiledRule[];
  budget: BudgetPolicy;
  /** Anchor entries that are prose rather than paths or action types: shown, not enforced. */
  unenforced: string[];
}

const isActionType = (entry: string) => (ACTION_TYPES as readonly string[]).includes(entry.replace(/^action_type:/, ''));

/** `docs/`, `*.tf`, `.env*`, `config/production.yaml`: no spaces, and a slash, dot or glob. */
export function isPathLike(entry: string): boolean {
  return !/\s/.test(entry.trim()) && /[/.*?[\]{}]/.test(entry);
}

function split(entries: readonly string[], field: string, unenforced: string[]) {
  const paths: PathPattern[] = [];
  const types = new Set<string>();
  for (const entry of entries) {
    if (isActionType(entry)) types.add(entry.replace(/^action_type:/, ''));
    else if (isPathLike(entry)) paths.push(compilePathPattern(entry));
    else unenforced.push(`${field}: ${entry}`);
  }
  return { paths, types };
}

/**
 * Compiles the governance policy from an anchor (and the config's protected paths). With
 * no anchor sections at all the result is plain default-deny.
 */
export function compilePolicy(anchor: IntentionAnchorV2 | undefined, extraProtected: readonly string[] = []): GovernancePolicy {
  const pivots = anchor?.pivot_intentions ?? {};
  const unenforced: string[] = [];
  const never = split(pivots.safety_risk?.never_allow ?? [], 'safety_risk.never_allow', unenforced);
  const approval = split(pivots.safety_risk?.requires_approval ?? [], 'safety_risk.requires_approval', unenforced);
  const explicitProtected = [
    ...(pivots.scope_boundaries?.protected_paths ?? []).map(compilePathPattern),
    ...approval.paths,
    ...extraProtected.map(compilePathPattern),
  ];
  const budget = pivots.budget_cost;
  return {
    neverAutoApprove: [...NEVER_AUTO_APPROVE_DEFAULTS.map(compilePathPattern), ...explicitProtected],
    explicitProtected,
    neverAllow: never.paths,
    neverAllowTypes: never.types,
    approvalTypes: approval.types,
    allowedWriteRoots: (pivots.scope_boundaries?.allowed_write_roots ?? []).filter((root) => root.trim() !== '').map(compilePathPattern),
    defaultPolicy: pivots.governance_review?.default_policy ?? 'deny',
    rules: (pivots.governance_review?.auto_approve_rules ?? []).map(compileRule),
    budget: {
      ...(budget?.token_cap_global ? { tokenCapGlobal: budget.token_cap_global } : {}),
      ...(budget?.token_cap_per_call ? { tokenCapPerCall: budget.token_cap_per_call } : {}),
      ...(budget?.time_cap_seconds ? { timeCapSeconds: budget.time_cap_seconds } : {}),
      escalation: budget?.cost_escalation_policy ?? 'request_approval',
    },
    unenforced,
  };
}
