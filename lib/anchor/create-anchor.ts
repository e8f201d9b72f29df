import type { IntentionAnchorV2 } from '../contracts/anchor.ts';
import { shortSha256 } from '../util/hash.ts';

/** `anchor-<raw_input_digest>`: the anchor id used by plans and sessions alike. */
export function anchorId(anchor: Pick<IntentionAnchorV2, 'raw_input_digest'>): string {
  return `anchor-${anchor.raw_input_digest}`;
}

/**
 * A new anchor that allows nothing it does not have to: default-deny governance, no
 * auto-approval rules, approval requested over budget, parallelism not allowed.
 * `raw_input_digest` is sha256 of the input text (the empty string when there is none)[:16].
 */
export function createAnchor(options: { projectId: string; input?: string | undefined; now: Date }): IntentionAnchorV2 {
  return {
    format_version: 'v2',
    project_id: options.projectId,
    created_at: options.now.toISOString(),
    raw_input_digest: shortSha256(options.input ?? '', 16),
    pivot_intentions: {
      safety_risk: { never_allow: [], requires_approval: [], risk_tolerance: 'low' },
      scope_boundaries: { allowed_write_roots: [], protected_paths: [], network_allowlist: [] },
      budget_cost: { cost_escalation_policy: 'request_approval' },
      governance_review: { default_policy: 'deny', auto_approve_rules: [], approval_channels: ['CLI'] },
      parallelism_isolation: { allowed: false, isolation_model: 'none', max_concurrent_runs: 1 },
    },
    metadata: { source: 'autopack anchor init', tags: [] },
  };
}
