import type { IntentionAnchorV2 } from '../contracts/anchor.ts';
import { AutopackError } from '../util/errors.ts';

/** Parallel execution refused by the intention anchor (exit 2, nothing created). */
export class ParallelismPolicyViolation extends AutopackError {
  constructor(message: string) {
    super(message, { hint: 'see docs/PARALLEL_RUNS.md: parallel runs need parallelism_isolation in the anchor' });
    this.name = 'ParallelismPolicyViolation';
  }
}

type Policy = IntentionAnchorV2['pivot_intentions']['parallelism_isolation'];

const policyOf = (anchor: IntentionAnchorV2 | undefined): Policy => anchor?.pivot_intentions.parallelism_isolation;

export function isParallelAllowed(anchor: IntentionAnchorV2 | undefined): boolean {
  return policyOf(anchor)?.allowed ?? false;
}

export function maxConcurrentRuns(anchor: IntentionAnchorV2 | undefined): number {
  const policy = policyOf(anchor);
  return policy?.allowed ? policy.max_concurrent_runs : 1;
}

/**
 * The parallelism gate, with the Four-Layer isolation model required:
 * `requestedRuns` parallel runs need an anchor whose `parallelism_isolation` is allowed, uses
 * `four_layer` isolation and allows at least that many concurrent runs. Callers skip the gate
 * when only one run can execute at a time.
 */
export function checkParallelAllowed(anchor: IntentionAnchorV2 | undefined, requestedRuns: number): void {
  const policy = policyOf(anchor);
  if (!policy) {
    throw new ParallelismPolicyViolation(
      'Parallelism policy not defined in intention anchor. Add parallelism_isolation with allowed=true to enable parallel execution.',
    );
  }
  if (!policy.allowed) {
    throw new ParallelismPolicyViolation(
      'Parallel execution is blocked by intention anchor policy (parallelism_isolation.allowed=False). Set parallelism_isolation.allowed=true to enable parallel runs.',
    );
  }
  if (requestedRuns > policy.max_concurrent_runs) {
    throw new ParallelismPolicyViolation(
      `Requested ${requestedRuns} parallel runs exceeds max_concurrent_runs=${policy.max_concurrent_runs} from intention anchor. Reduce parallel runs or increase max_concurrent_runs in parallelism_isolation.`,
    );
  }
  if (policy.isolation_model !== 'four_layer') {
    throw new ParallelismPolicyViolation(
      `Parallel execution requires isolation_model=four_layer (the anchor says ${policy.isolation_model}). Set parallelism_isolation.isolation_model=four_layer: each run gets its own worktree, lease, run lock and artifacts.`,
    );
  }
}
