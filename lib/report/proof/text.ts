import type { PhaseProof } from '../../contracts/phase-proof.ts';
import type { Reporter } from '../types.ts';

/** What a proof says happened, from its own words: the session's status leads its verification summary. */
function outcome(proof: PhaseProof): string {
  const status = /^Session (\w+)/.exec(proof.verification.verification_summary)?.[1];
  if (!proof.success || status === 'failed') return '❌ FAILED';
  if (status === 'blocked_approval_required') return '⏸ BLOCKED: waiting for approval';
  if (status === 'completed' || status === undefined) return '✅ COMPLETED';
  return status.toUpperCase();
}

/** How the verifications came out: a verification that found the gap still there ran fine, but passed nothing. */
function verdictLines(proof: PhaseProof): string[] {
  const verdicts = proof.verification.probes_executed.map((probe) => /: (\w+)$/.exec(probe)?.[1] ?? 'ok');
  const count = (verdict: string) => verdicts.filter((entry) => entry === verdict).length;
  const lines = [`Actions run without error: ${proof.verification.tests_passed}`, `Actions failed: ${proof.verification.tests_failed}`];
  if (verdicts.length > 0) lines.push(`Verdicts: ${count('resolved')} resolved, ${count('still_present')} still present, ${count('inconclusive')} inconclusive`);
  return lines;
}

/** A phase proof as text, for `autopack proof show`. */
export function renderPhaseProof(proof: PhaseProof): string {
  const lines = [
    `# Phase proof ${proof.proof_id}`,
    '',
    `${outcome(proof)} · phase ${proof.phase_id} · run ${proof.run_id} · ${proof.duration_seconds.toFixed(1)}s`,
    `${proof.created_at} → ${proof.completed_at}`,
    '',
    '## Changes',
    proof.changes.change_summary,
    `Files created: ${proof.changes.files_created}`,
    `Files modified: ${proof.changes.files_modified}`,
    `Files deleted: ${proof.changes.files_deleted}`,
  ];
  if (proof.metrics_placeholder) lines.push('(git metrics unavailable: these are placeholders)');
  if (proof.changes.key_changes.length > 0) lines.push('', '## Key Changes', ...proof.changes.key_changes.map((change) => `- ${change}`));
  lines.push('', '## Verification', proof.verification.verification_summary, ...verdictLines(proof));
  if (proof.verification.probes_executed.length > 0) lines.push('', '## Actions', ...proof.verification.probes_executed.map((probe) => `- ${probe}`));
  if (proof.verification.contracts_verified.length > 0) lines.push('', '## Contracts', ...proof.verification.contracts_verified.map((contract) => `- ${contract}`));
  if (proof.error_summary) lines.push('', '## Error', proof.error_summary);
  return `${lines.join('\n')}\n`;
}

const render: Reporter<PhaseProof> = (proof) => renderPhaseProof(proof);
export default render;
