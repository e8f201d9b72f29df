import type { BudgetPolicy } from './policy.ts';

export interface Costed {
  tokens: number;
  time_seconds: number;
}

/**
 * Which actions are over budget, in plan order: an action over the per-call cap, or one that
 * takes the running total past the global token cap or the time cap. The answer depends only
 * on the plan, never on the clock.
 */
export function overBudget(actions: readonly Costed[], budget: BudgetPolicy): Array<string | undefined> {
  let tokens = 0;
  let seconds = 0;
  return actions.map((action) => {
    tokens += action.tokens;
    seconds += action.time_seconds;
    const reasons: string[] = [];
    if (budget.tokenCapPerCall !== undefined && action.tokens > budget.tokenCapPerCall) {
      reasons.push(`${action.tokens} tokens > token_cap_per_call ${budget.tokenCapPerCall}`);
    }
    if (budget.tokenCapGlobal !== undefined && action.tokens > 0 && tokens > budget.tokenCapGlobal) {
      reasons.push(`running total ${tokens} tokens > token_cap_global ${budget.tokenCapGlobal}`);
    }
    if (budget.timeCapSeconds !== undefined && action.time_seconds > 0 && seconds > budget.timeCapSeconds) {
      reasons.push(`running total ${seconds}s > time_cap_seconds ${budget.timeCapSeconds}`);
    }
    return reasons.length > 0 ? reasons.join(', ') : undefined;
  });
}

/** `budget_compliance`, with the usage as a percent 0–100 (the reference wrote a fraction and crashed above 1). */
export function budgetCompliance(actions: readonly Costed[], budget: BudgetPolicy) {
  const total = actions.reduce((sum, action) => sum + action.tokens, 0);
  const withinGlobal = budget.tokenCapGlobal === undefined || total <= budget.tokenCapGlobal;
  const withinPerCall = budget.tokenCapPerCall === undefined || actions.every((action) => action.tokens <= budget.tokenCapPerCall!);
  return {
    within_global_cap: withinGlobal,
    within_per_call_cap: withinPerCall,
    ...(budget.tokenCapGlobal !== undefined && total > 0
      ? { estimated_usage_pct: Math.min(100, Math.round((10000 * total) / budget.tokenCapGlobal) / 100) }
      : {}),
  };
}
