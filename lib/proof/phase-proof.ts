import { PhaseProof } from '../contracts/phase-proof.ts';
import { assertContract } from '../util/errors.ts';

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export interface PhaseProofInput {
  runId: string;
  projectId: string;
  phaseId: string;
  createdAt: Date;
  completedAt: Date;
  success: boolean;
  errorSummary?: string | undefined;
  changes: { created: readonly string[]; modified: readonly string[]; deleted: readonly string[] };
  testsPassed?: number;
  testsFailed?: number;
  probes?: readonly string[];
  contracts?: readonly string[];
  verificationSummary: string;
  metricsPlaceholder: boolean;
}

/** "Modified 3 files: a, b, c" with "(+N more)" from the real total, never from a sample. */
export function changeSummary(changes: PhaseProofInput['changes'], placeholder: boolean): string {
  if (placeholder) return 'Phase execution completed (git metrics unavailable)';
  const all = [...changes.created, ...changes.modified, ...changes.deleted];
  if (all.length === 0) return 'No files modified';
  // Each name shortened so that the count and "+N more" always fit the 500-character bound.
  const shown = all.slice(0, 5).map((path) => cut(path, 80)).join(', ');
  return `Modified ${all.length} files: ${shown}${all.length > 5 ? ` (+${all.length - 5} more)` : ''}`;
}

/**
 * A PhaseProof within the bounds of its contract: over-long entries are cut,
 * lists capped, never rejected. `proof_id` is `<run_id>-<phase_id>`.
 */
export function buildPhaseProof(input: PhaseProofInput): PhaseProof {
  const keyChanges = [...input.changes.created, ...input.changes.modified, ...input.changes.deleted].slice(0, 10).map((path) => cut(path, 200));
  const proof: PhaseProof = {
    proof_id: `${input.runId}-${input.phaseId}`,
    run_id: input.runId,
    project_id: input.projectId,
    phase_id: input.phaseId,
    created_at: input.createdAt.toISOString(),
    completed_at: input.completedAt.toISOString(),
    duration_seconds: Math.max(0, (input.completedAt.getTime() - input.createdAt.getTime()) / 1000),
    changes: {
      files_created: input.changes.created.length,
      files_modified: input.changes.modified.length,
      files_deleted: input.changes.deleted.length,
      key_changes: keyChanges,
      change_summary: cut(changeSummary(input.changes, input.metricsPlaceholder), 500),
    },
    verification: {
      tests_passed: input.testsPassed ?? 0,
      tests_failed: input.testsFailed ?? 0,
      probes_executed: (input.probes ?? []).slice(0, 20).map((probe) => cut(probe, 200)),
      contracts_verified: (input.contracts ?? []).slice(0, 20).map((contract) => cut(contract, 200)),
      verification_summary: cut(input.verificationSummary, 500),
    },
    success: input.success,
    error_summary: input.errorSummary ? input.errorSummary.slice(0, 500) : null,
    schema_version: '1.0',
    metrics_placeholder: input.metricsPlaceholder,
  };
  assertContract(PhaseProof, proof, 'the phase proof');
  return proof;
}

/** File name of a proof: the phase id with `/` and spaces made safe. */
export function proofFileName(phaseId: string): string {
  return `${phaseId.replace(/[/\\ ]/g, '_')}.json`;
}
