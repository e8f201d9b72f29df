import type { IntentionAnchorV2 } from '../contracts/anchor.ts';
import { compileRule } from '../governance/conditions.ts';
import { compilePolicy } from '../governance/policy.ts';

/** The eight pivot sections and the question a missing one raises (worded as the Python tool words them). */
export const PIVOT_QUESTIONS = [
  ['north_star', 'What are the desired outcomes and success signals for this project?'],
  ['safety_risk', 'What operations must never be allowed, and what requires approval?'],
  ['evidence_verification', 'What checks must pass (hard blocks) and what proof artifacts are required?'],
  ['scope_boundaries', 'Which paths are allowed for writes, and which are protected?'],
  ['budget_cost', 'What are the token/time budget caps and cost escalation policy?'],
  ['memory_continuity', 'What should persist to SOT ledgers and what are the retention rules?'],
  ['governance_review', 'What is the approval policy (default-deny vs allow) and what auto-approval rules apply?'],
  ['parallelism_isolation', 'Is parallelism allowed, and if so, what isolation model is required?'],
] as const;

export interface MissingSection {
  section: (typeof PIVOT_QUESTIONS)[number][0];
  question: string;
}

/** The questions for the sections an anchor leaves out, in the fixed order. A present but empty section counts as answered. */
export function pivotCompleteness(anchor: IntentionAnchorV2): MissingSection[] {
  const pivots = anchor.pivot_intentions as Record<string, unknown>;
  return PIVOT_QUESTIONS.filter(([section]) => pivots[section] === undefined).map(([section, question]) => ({ section, question }));
}

/** Things that are valid but probably not what the author meant: rules that can never match, prose that is not enforced. */
export function anchorWarnings(anchor: IntentionAnchorV2): Array<{ path: string; message: string }> {
  const warnings: Array<{ path: string; message: string }> = [];
  const rules = anchor.pivot_intentions.governance_review?.auto_approve_rules ?? [];
  rules.forEach((rule, index) => {
    const problem = compileRule(rule).problem;
    if (problem) warnings.push({ path: `$.pivot_intentions.governance_review.auto_approve_rules[${index}]`, message: `rule ${rule.rule_id} ${problem}` });
  });
  const protectedPaths = anchor.pivot_intentions.scope_boundaries?.protected_paths ?? [];
  protectedPaths.forEach((path, index) => {
    if (path.trim() === '') warnings.push({ path: `$.pivot_intentions.scope_boundaries.protected_paths[${index}]`, message: 'an empty protected path protects nothing' });
  });
  for (const entry of compilePolicy(anchor).unenforced) {
    const [field, ...rest] = entry.split(': ');
    warnings.push({ path: `$.pivot_intentions.${field}`, message: `'${rest.join(': ')}' is neither a path nor an action type, so it is recorded but not enforced` });
  }
  return warnings;
}
