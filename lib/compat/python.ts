// `--compat python`: autopack's artifacts in the form the Python tool (hshk99/Autopack) loads.
// Its pydantic models forbid unknown fields, so these pure functions write exactly its fields,
// in its order, with its values; what cannot be represented is mapped or dropped (each module
// says which and why) and listed in `losses` for a human, never in the artifact. Reading needs
// none of this: autopack reads the Python tool's artifacts as they are.
import type { AutopilotSessionV1 } from '../contracts/autopilot-session.ts';
import type { GapReportV1 } from '../contracts/gap-report.ts';
import type { PhaseProof } from '../contracts/phase-proof.ts';
import type { PlanProposalV1 } from '../contracts/plan-proposal.ts';
import { toPythonGapReport } from './python-gap-report.ts';
import { toPythonPlan } from './python-plan.ts';
import type { PythonAutopilotSessionV1, PythonGapReportV1, PythonPhaseProof, PythonPlanProposalV1 } from './python-schemas.ts';
import { toPythonPhaseProof, toPythonSession } from './python-session.ts';

export { toPythonGapReport, type PythonGapReportResult } from './python-gap-report.ts';
export { percentToFraction, toPythonPlan, VERIFY_MARKER, type PythonPlanResult } from './python-plan.ts';
export { pythonPlanId, toPythonPhaseProof, toPythonSession, type PythonSessionResult, type SessionLinks } from './python-session.ts';
export * from './python-schemas.ts';

/** The tools `--compat` can write for. */
export const COMPAT_TOOLS = ['python'] as const;
export type CompatTool = (typeof COMPAT_TOOLS)[number];

export interface PythonAutopilotArtifacts {
  report?: PythonGapReportV1;
  plan?: PythonPlanProposalV1;
  session: PythonAutopilotSessionV1;
  proof: PythonPhaseProof;
  /** Everything the four lost, report first, one line each. */
  losses: string[];
}

/** The four artifacts of an autopilot session, their ids linked as a Python reader sees them. */
export function toPythonAutopilotArtifacts(artifacts: { report?: GapReportV1 | undefined; plan?: PlanProposalV1 | undefined; session: AutopilotSessionV1; proof: PhaseProof }): PythonAutopilotArtifacts {
  const report = artifacts.report ? toPythonGapReport(artifacts.report) : undefined;
  const plan = artifacts.plan && artifacts.report ? toPythonPlan(artifacts.plan, artifacts.report) : undefined;
  const session = toPythonSession(artifacts.session, { report: artifacts.report, plan: plan?.plan });
  return {
    ...(report ? { report: report.report } : {}),
    ...(plan ? { plan: plan.plan } : {}),
    session: session.session,
    proof: toPythonPhaseProof(artifacts.proof),
    losses: [...(report?.losses ?? []), ...(plan?.losses ?? []), ...session.losses],
  };
}
