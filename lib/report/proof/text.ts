import type { PhaseProof } from '../../contracts/phase-proof.ts';
import type { Reporter } from '../types.ts';

/** A phase proof as text, for `autopack proof show` (the reference's markdown rendering). */
export function renderPhaseProof(proof: PhaseProof): string {
  const lines = [
    `# Phase proof ${proof.proof_id}`,
    '',
    `${proof.success ? '✅ SUCCESS' : '❌ FAILED'} · phase ${proof.phase_id} · run ${proof.run_id} · ${proof.duration_seconds.toFixed(1)}s`,
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
  lines.push('', '## Verification', proof.verification.verification_summary, `Tests passed: ${proof.verification.tests_passed}`, `Tests failed: ${proof.verification.tests_failed}`);
  if (proof.verification.probes_executed.length > 0) lines.push('', '## Probes', ...proof.verification.probes_executed.map((probe) => `- ${probe}`));
  if (proof.verification.contracts_verified.length > 0) lines.push('', '## Contracts', ...proof.verification.contracts_verified.map((contract) => `- ${contract}`));
  if (proof.error_summary) lines.push('', '## Error', proof.error_summary);
  return `${lines.join('\n')}\n`;
}

const render: Reporter<PhaseProof> = (proof) => renderPhaseProof(proof);
export default render;
