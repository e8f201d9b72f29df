import type { Action } from '../contracts/plan-proposal.ts';
import type { Gap } from '../contracts/gap-report.ts';

export interface Remediation {
  action_type: Action['action_type'];
  title: (t: string) => string;
  description: string;
  risk_score: number;
  risk_factors: string[];
  tokens: number;
  time_seconds: number;
  /** A suggested command for a human. The proposer never runs it. */
  command?: (gap: Gap) => string | undefined;
}

/** The reference's gap → action table (reference A §7.1), with commands that make sense outside the Python repo. */
export const REMEDIATIONS: Record<string, Remediation> = {
  doc_drift: {
    action_type: 'doc_update',
    title: (t) => `Update documentation for ${t}`,
    description: 'Fix the documentation the check reports, then re-run the check',
    risk_score: 0.3,
    risk_factors: ['Modifies docs/'],
    tokens: 500,
    time_seconds: 10,
    command: (gap) => gap.evidence?.command_evidence?.command,
  },
  root_clutter: {
    action_type: 'file_move',
    title: (t) => `Organize workspace: ${t}`,
    description: 'Move cluttered files to docs/ or archive/',
    risk_score: 0.2,
    risk_factors: ['Moves files'],
    tokens: 200,
    time_seconds: 5,
  },
  sot_duplicate: {
    action_type: 'file_delete',
    title: (t) => `Remove duplicate: ${t}`,
    description: 'Remove duplicate file and keep canonical version',
    risk_score: 0.4,
    risk_factors: ['Deletes files', 'Modifies SOT'],
    tokens: 100,
    time_seconds: 2,
  },
  test_infra_drift: {
    action_type: 'test_fix',
    title: (t) => `Fix failing tests: ${t}`,
    description: 'Re-run and fix failed tests',
    risk_score: 0.5,
    risk_factors: ['Modifies tests/', 'May require code changes'],
    tokens: 2000,
    time_seconds: 60,
    command: (gap) => ((gap.evidence?.file_paths ?? []).some((path) => path.includes('vitest')) ? 'npx vitest run' : 'pytest -v --tb=short'),
  },
  memory_budget_cap_issue: {
    action_type: 'doc_update',
    title: (t) => `Split large files: ${t}`,
    description: 'Split or consolidate large files',
    risk_score: 0.4,
    risk_factors: ['Modifies docs/', 'Restructures content'],
    tokens: 1000,
    time_seconds: 30,
  },
  windows_encoding_issue: {
    action_type: 'custom',
    title: (t) => `Fix encoding: ${t}`,
    description: 'Convert files to UTF-8 or add error handling',
    risk_score: 0.6,
    risk_factors: ['Modifies file encoding', 'May corrupt content'],
    tokens: 500,
    time_seconds: 15,
  },
  baseline_policy_drift: {
    action_type: 'config_update',
    title: (t) => `Update baseline policy: ${t}`,
    description: 'Create or update baseline policy configuration',
    risk_score: 0.5,
    risk_factors: ['Modifies config/', 'Changes governance'],
    tokens: 300,
    time_seconds: 10,
  },
  protected_path_violation: {
    action_type: 'doc_update',
    title: (t) => `Review protected path changes: ${t}`,
    description: 'Review and commit protected path modifications',
    risk_score: 0.8,
    risk_factors: ['Modifies protected paths', 'Requires review'],
    tokens: 200,
    time_seconds: 5,
  },
  db_lock_contention: {
    action_type: 'file_delete',
    title: (t) => `Clear database lock: ${t}`,
    description: 'Clear stale database lock file',
    risk_score: 0.7,
    risk_factors: ['Modifies database state', 'May disrupt other runs'],
    tokens: 50,
    time_seconds: 1,
  },
  git_state_corruption: {
    action_type: 'git_operation',
    title: (t) => `Repair git state: ${t}`,
    description: 'Run git fsck and repair',
    risk_score: 0.9,
    risk_factors: ['Modifies git state', 'Critical operation'],
    tokens: 100,
    time_seconds: 10,
  },
};

/** A gap nobody knows how to fix mechanically: `unknown` (a failed detector) is blocked; a plugin type needs a human. */
export function remediationFor(gap: Gap): Remediation {
  const known = REMEDIATIONS[gap.gap_type];
  if (known) return known;
  if (gap.gap_type === 'unknown') {
    return {
      action_type: 'custom',
      title: (t) => `Manual review required: ${t}`,
      description: 'Unknown gap type: unknown',
      risk_score: 1.0,
      risk_factors: ['Unknown gap type', 'Manual intervention required'],
      tokens: 0,
      time_seconds: 0,
    };
  }
  return {
    action_type: 'custom',
    title: (t) => `Manual remediation: ${t}`,
    description: `Remediate the ${gap.gap_type} gap (reported by a plugin detector)`,
    risk_score: 0.5,
    risk_factors: ['No built-in remediation for this gap type'],
    tokens: 0,
    time_seconds: 0,
  };
}
