import { join } from 'node:path';
import type { ActionResult } from '../contracts/autopilot-session.ts';
import type { Gap, GapReportV1 } from '../contracts/gap-report.ts';
import type { Action } from '../contracts/plan-proposal.ts';
import { writeRunFile } from '../fs/run-write.ts';
import { scanOpenWorkspace } from '../gaps/scan-gaps.ts';
import { compareFingerprints, describeChanges, fingerprintOf, hasChanges, type Fingerprint } from '../git/fingerprint.ts';
import { decide } from '../governance/decide.ts';
import { normalizeWorkspacePath } from '../governance/paths.ts';
import { detectorIdOf } from '../planning/remediation.ts';
import type { ActionContext, ActionDefinition, ActionOutcome } from '../registry/types.ts';
import { runCheck, toCommandEvidence, type CheckResult } from '../runner/run-check.ts';
import { ActionRefused, EffectViolation, errorMessage } from '../util/errors.ts';
import { classifyCommand } from './command-policy.ts';
import type { SessionContext } from './session-context.ts';

export type ExecutionOutcome =
  | { executed: false; refusal: { approval_status: 'requires_approval' | 'blocked'; reason: string } }
  | { executed: true; result: ActionResult; error?: { error_type: string; error_message: string } };

const argvKey = (argv: readonly string[]) => JSON.stringify(argv);

function refuse(reason: string, status: 'requires_approval' | 'blocked' = 'requires_approval'): ExecutionOutcome {
  return { executed: false, refusal: { approval_status: status, reason } };
}

/**
 * Re-checks an auto-approved action with the governance module, against the handler as it is
 * registered now (a plan file claims nothing the registry does not confirm).
 */
function recheck(action: Action, handler: ActionDefinition | undefined, session: SessionContext, report: GapReportV1): string | undefined {
  if (action.approval_status !== 'auto_approved') return action.approval_reason ?? 'Not auto-approved';
  if (!handler) return `No registered handler ${action.handler ?? ''} for action_type ${action.action_type}`.replace('  ', ' ');
  if (!handler.action_types.includes(action.action_type)) return `Handler ${handler.id} does not execute action_type ${action.action_type}`;
  const gapTypes = report.gaps.filter((gap) => action.target_gap_ids.includes(gap.gap_id)).map((gap) => gap.gap_type);
  const decision = decide(
    {
      action_id: action.action_id,
      action_type: action.action_type,
      gap_types: gapTypes,
      risk_score: action.risk_score,
      target_paths: action.target_paths ?? [],
      handler: { id: handler.id, effects: handler.effects },
      ...(action.command ? { command: action.command } : {}),
    },
    session.policy,
    { runDirRel: session.runDirRel },
  );
  return decision.status === 'auto_approved' ? undefined : decision.reason;
}

function actionContext(handler: ActionDefinition, session: SessionContext, gaps: readonly Gap[], written: string[], checks: CheckResult[]): ActionContext {
  const { workspace } = session;
  const checksOf = async (detectorId: string) => (workspace.registry.detectors.has(detectorId) ? workspace.checksOf(detectorId) : []);
  // The checks of the detectors behind this action's gaps: trusted argv beyond the read-only allowlist.
  let trusted: Promise<Set<string>> | undefined;
  const trustedArgv = () =>
    (trusted ??= (async () => {
      const ids = new Set(gaps.flatMap((gap) => detectorIdOf(gap, workspace.registry) ?? []));
      const lists = await Promise.all([...ids].map(checksOf));
      return new Set(lists.flat().map((check) => argvKey(check.run)));
    })());
  return {
    root: workspace.root,
    runDir: workspace.runDir,
    clock: workspace.clock,
    logger: workspace.logger,
    env: workspace.env,
    gaps,
    checks: checksOf,
    async runCheck(check) {
      if (!(await trustedArgv()).has(argvKey(check.argv))) {
        const verdict = classifyCommand(check.argv);
        if (verdict.classification !== 'safe') throw new ActionRefused(`${verdict.reason} (${check.argv.join(' ')})`);
      }
      const cwd = check.cwd === undefined ? undefined : normalizeWorkspacePath(check.cwd);
      if (cwd && !cwd.ok) throw new ActionRefused(`check cwd ${check.cwd} is outside the workspace`);
      const result = await runCheck({
        id: check.id,
        argv: check.argv,
        cwd: cwd?.ok ? join(workspace.root, cwd.path) : workspace.root,
        timeoutMs: check.timeoutMs ?? 60_000,
        env: workspace.env,
        clock: workspace.clock,
        redact: { paths: [[workspace.root, '<workspace>']] },
      });
      checks.push(result);
      return result;
    },
    async rescan(targets) {
      const only = [...new Set(targets.flatMap((gap) => detectorIdOf(gap, workspace.registry) ?? []))];
      if (only.length === 0) throw new ActionRefused(`no registered detector reports ${[...new Set(targets.map((gap) => gap.gap_type))].join(', ')}`);
      return (await scanOpenWorkspace(workspace, { only, protectedPaths: session.protectedPaths })).report;
    },
    async writeRunFile(relativePath, content) {
      if (!handler.effects.includes('run_local_write')) throw new EffectViolation(`handler ${handler.id} declared ${handler.effects.join(', ')} but tried to write ${relativePath}`);
      if (!session.write) throw new ActionRefused('run-local writes need --write');
      const normalized = normalizeWorkspacePath(relativePath);
      if (!normalized.ok || normalized.path === '' || relativePath.replace(/\\/g, '/').split('/').includes('..')) {
        throw new EffectViolation(`handler ${handler.id} tried to write ${relativePath}, outside its run directory`);
      }
      const target = join(workspace.runDir, normalized.path);
      await writeRunFile(workspace.runsDir, target, content);
      written.push(normalized.path);
      return target;
    },
  };
}

/**
 * Executes one action through its registered handler, if and only if governance approves it
 * again now. Afterwards it verifies the declared effects against `before` (the workspace as it
 * was when the action started): for `read_only` and `run_local_write` handlers every file
 * outside the runs dir, every ignored entry and git's own state (HEAD, refs, what is staged,
 * config, hooks) must be unchanged. A violation fails the action loudly; the changes are named.
 * Returns the workspace's fingerprint after the action, the `before` of the next one.
 */
export async function executeAction(
  action: Action,
  session: SessionContext,
  report: GapReportV1,
  before?: Fingerprint,
): Promise<{ outcome: ExecutionOutcome; after?: Fingerprint }> {
  const { workspace } = session;
  const entry = action.handler ? workspace.registry.actions.get(action.handler) : undefined;
  const handler = entry ? await entry.load() : undefined;
  const refusal = recheck(action, handler, session, report);
  if (refusal) {
    return { outcome: refuse(`Re-checked before execution: ${refusal}`, action.approval_status === 'blocked' ? 'blocked' : 'requires_approval'), ...(before ? { after: before } : {}) };
  }
  const started = workspace.clock.mark();
  const written: string[] = [];
  const checks: CheckResult[] = [];
  const fingerprint = () => fingerprintOf(workspace);
  const initial = before ?? (await fingerprint());
  const gaps = report.gaps.filter((gap) => action.target_gap_ids.includes(gap.gap_id));
  let outcome: ActionOutcome | undefined;
  let failure: Error | undefined;
  try {
    const context = actionContext(handler!, session, gaps, written, checks);
    const timeoutS = workspace.config.config.actions?.[handler!.id]?.timeout_s;
    outcome = entry?.plugin
      ? await (await import('./plugin-action.ts')).runPluginAction(entry.plugin, handler!, context, action, gaps, timeoutS === undefined ? undefined : timeoutS * 1000)
      : await handler!.run(context, action);
  } catch (error) {
    failure = error instanceof Error ? error : new Error(errorMessage(error));
  }
  const after = await fingerprint();
  const changes = compareFingerprints(initial, after);
  if (hasChanges(changes) && !failure) {
    failure = new EffectViolation(`handler ${handler!.id} declared ${handler!.effects.join(', ')} but changed the workspace: ${describeChanges(changes)}`);
  }
  const evidence = outcome?.check ?? checks.at(-1);
  const success = !failure && outcome?.success === true;
  const result: ActionResult = {
    action_id: action.action_id,
    handler: handler!.id,
    success,
    ...(outcome?.verdict && !failure ? { verdict: outcome.verdict } : {}),
    summary: failure ? `${failure.name}: ${failure.message}` : (outcome?.summary ?? ''),
    effects_verified: !hasChanges(changes) && !(failure instanceof EffectViolation),
    duration_ms: workspace.clock.since(started),
    ...(evidence ? { evidence: toCommandEvidence(evidence) } : {}),
    ...(written.length > 0 ? { written: written.sort() } : {}),
  };
  if (success) return { outcome: { executed: true, result }, after };
  const message = failure ? failure.message : (outcome?.error ?? outcome?.summary ?? 'the handler reported failure');
  return { outcome: { executed: true, result, error: { error_type: failure?.name ?? 'ActionFailed', error_message: message } }, after };
}
