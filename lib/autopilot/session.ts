import { join } from 'node:path';
import { loadAnchor } from '../anchor/load-anchor.ts';
import { toPythonAutopilotArtifacts, type CompatTool, type PythonAutopilotArtifacts } from '../compat/python.ts';
import type { AutopilotSessionV1 } from '../contracts/autopilot-session.ts';
import type { GapReportV1 } from '../contracts/gap-report.ts';
import type { PhaseProof } from '../contracts/phase-proof.ts';
import type { PlanProposalV1 } from '../contracts/plan-proposal.ts';
import { openWorkspace, type Workspace, type WorkspaceOptions } from '../config/workspace.ts';
import { writeRunJson } from '../fs/run-write.ts';
import { ensureRunsDirExcluded } from '../fs/git-exclude.ts';
import { RUN_ARTIFACTS } from '../fs/run-layout.ts';
import { scanOpenWorkspace } from '../gaps/scan-gaps.ts';
import { fingerprintOf, type Fingerprint } from '../git/fingerprint.ts';
import { packageVersion } from '../paths.ts';
import { planFacts } from '../planning/plan-facts.ts';
import { proposePlan } from '../planning/propose.ts';
import { proofFileName } from '../proof/phase-proof.ts';
import { AutopackError, errorMessage } from '../util/errors.ts';
import { executePlan, type ExecutionLog } from './execute-plan.ts';
import { sessionContext, type SessionContext } from './session-context.ts';
import { defaultSessionId, proveSession, recordSession } from './session-record.ts';

export { AUTOPILOT_VERSION } from './session-record.ts';

export interface AutopilotOptions extends WorkspaceOptions {
  /** Nothing happens without it: autopilot is off by default. */
  enable: boolean;
  /** Write the four artifacts (report, plan, session, proof); without it nothing is written. */
  write?: boolean;
  anchorPath?: string | undefined;
  /** Session id factory (tests); by default derived from the plan and the start time. */
  sessionId?: (plan: PlanProposalV1 | undefined, startedAt: Date) => string;
  /** `python`: also build the four artifacts in the Python tool's form, and write that form instead. */
  compat?: CompatTool | undefined;
}

export interface AutopilotResult {
  session: AutopilotSessionV1;
  report?: GapReportV1;
  plan?: PlanProposalV1;
  proof?: PhaseProof;
  workspace: Workspace;
  /** Absolute paths written (with `write`). */
  written: string[];
  /** With `compat`: the artifacts as written for that tool, and what they could not hold. */
  compat?: PythonAutopilotArtifacts;
}

/** Scan, then plan under the session's policy. */
async function scanAndPlan(session: SessionContext): Promise<{ report: GapReportV1; plan: PlanProposalV1 }> {
  const { workspace } = session;
  const { report } = await scanOpenWorkspace(workspace, { protectedPaths: session.protectedPaths });
  const plan = await proposePlan({
    anchor: session.anchor,
    report,
    registry: workspace.registry,
    runDirRel: session.runDirRel,
    clock: workspace.clock,
    policy: session.policy,
    facts: await planFacts(workspace.git),
    version: packageVersion(),
  });
  return { report, plan };
}

async function writeArtifacts(session: SessionContext, artifacts: Array<[string, unknown]>): Promise<string[]> {
  const written: string[] = [];
  for (const [relativePath, value] of artifacts) {
    const path = join(session.workspace.runDir, relativePath);
    await writeRunJson(session.workspace.runsDir, path, value);
    written.push(path);
  }
  return written;
}

/**
 * One autopilot session: scan, propose, execute each auto-approved action through its handler
 * (in plan order, effects verified), turn everything else into an approval request, and prove
 * what changed. Refuses without `enable` (nothing scanned, nothing written) and without an
 * anchor. Never throws once started: a failure is a `failed` session, still returned.
 */
export async function runAutopilotSession(options: AutopilotOptions): Promise<AutopilotResult> {
  if (!options.enable) {
    throw new AutopackError('Autopilot is disabled by default: nothing was scanned or written. Re-run with --enable to execute safe actions.');
  }
  const workspace = await openWorkspace(options);
  const { anchor } = await loadAnchor({ anchorPath: options.anchorPath, runDir: workspace.runDir, cwd: workspace.cwd });
  const session = sessionContext(workspace, anchor, options.write === true);
  const clock = workspace.clock;
  const startedAt = clock.now();
  const mark = clock.mark();

  // Before any run-local write: the runs dir must never show in git status (nor change the digest).
  if (session.write) await ensureRunsDirExcluded(workspace.git, workspace.root, workspace.runsDir);
  const start: Fingerprint = await fingerprintOf(workspace);
  let report: GapReportV1 | undefined;
  let plan: PlanProposalV1 | undefined;
  let log: ExecutionLog = { approvals: [], results: [], executed: [], errors: [], last: start };
  let internalFailure = false;
  try {
    ({ report, plan } = await scanAndPlan(session));
    log = await executePlan(session, report, plan, start);
  } catch (error) {
    internalFailure = true;
    log.errors.push({ timestamp: clock.now().toISOString(), error_type: error instanceof Error ? error.name : 'Error', error_message: errorMessage(error) });
  }
  // The scan itself (its checks) may have changed things: the end state is measured, not assumed.
  const end = log.executed.length > 0 ? log.last : await fingerprintOf(workspace);
  const record = recordSession(session, {
    sessionId: options.sessionId ? options.sessionId(plan, startedAt) : defaultSessionId(plan, clock.fixed),
    startedAt,
    completedAt: clock.now(),
    durationMs: clock.since(mark),
    report,
    plan,
    log,
    internalFailure,
  });
  const proof = await proveSession(session, record, start, end);
  // --compat: the same four artifacts in the form the other tool loads; that form is what gets written.
  const compat = options.compat === 'python' ? toPythonAutopilotArtifacts({ report, plan, session: record, proof }) : undefined;
  const out: { report?: unknown; plan?: unknown; session: unknown; proof: unknown } = compat ?? { report, plan, session: record, proof };
  const written = session.write
    ? await writeArtifacts(session, [
        ...(out.report ? [[RUN_ARTIFACTS.gapReport, out.report] as [string, unknown]] : []),
        ...(out.plan ? [[RUN_ARTIFACTS.planProposal, out.plan] as [string, unknown]] : []),
        [RUN_ARTIFACTS.autopilotSession, out.session],
        [join(RUN_ARTIFACTS.proofs, proofFileName(proof.phase_id)), out.proof],
      ])
    : [];
  return { session: record, ...(report ? { report } : {}), ...(plan ? { plan } : {}), proof, workspace, written, ...(compat ? { compat } : {}) };
}
