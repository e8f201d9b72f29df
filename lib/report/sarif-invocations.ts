// SARIF `invocations` of a scan: autopack's own run first, then each mechanical command the
// detectors ran (their command evidence), so code scanning shows what was executed and how it ended.
import type { CommandEvidence, GapReportV1 } from '../contracts/gap-report.ts';
import { compareCodePoints } from '../util/sort.ts';

interface Notification {
  level: 'error' | 'note';
  message: { text: string };
  descriptor?: { id: string };
}

export interface SarifInvocation {
  executionSuccessful: boolean;
  commandLine?: string;
  arguments?: string[];
  exitCode?: number;
  endTimeUtc?: string;
  toolExecutionNotifications?: Notification[];
  properties: Record<string, unknown>;
}

/** A detector that threw becomes a gap of type `unknown` with this message id. */
const DETECTOR_FAILED = 'detector_failed';

/** autopack's own run: successful unless a detector failed; skipped detectors and notes as notifications. */
function autopackInvocation(report: GapReportV1): SarifInvocation {
  const metadata = report.metadata ?? {};
  const failed = report.gaps.filter((gap) => gap.message_id === DETECTOR_FAILED);
  const notifications: Notification[] = [
    ...failed.map((gap) => ({ level: 'error' as const, message: { text: gap.description ?? gap.title ?? gap.gap_id }, descriptor: { id: gap.detector ?? gap.gap_type } })),
    ...(metadata.skipped_detectors ?? []).map((skip) => ({ level: 'note' as const, message: { text: `Detector ${skip.detector} skipped: ${skip.reason}` }, descriptor: { id: skip.detector } })),
    ...(metadata.notes ?? []).map((note) => ({ level: 'note' as const, message: { text: note } })),
  ];
  return {
    executionSuccessful: failed.length === 0,
    // The report's own time: the output stays byte-identical for the same report.
    endTimeUtc: report.generated_at,
    ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
    properties: {
      kind: 'autopack',
      ...(metadata.scope ? { scope: metadata.scope } : {}),
      ...(metadata.detectors_run ? { detectors_run: metadata.detectors_run } : {}),
      ...(metadata.scan_duration_ms !== undefined ? { scan_duration_ms: metadata.scan_duration_ms } : {}),
    },
  };
}

/**
 * A mechanical check: `executionSuccessful` says it ran to completion (no timeout, no spawn
 * error). A non-zero exit is the check's verdict, recorded in `exitCode`, not a failure to run.
 */
function commandInvocation(evidence: CommandEvidence, gapIds: string[]): SarifInvocation {
  return {
    executionSuccessful: evidence.timed_out !== true && evidence.error === undefined,
    commandLine: evidence.command,
    ...(evidence.argv ? { arguments: evidence.argv } : {}),
    exitCode: evidence.exit_code,
    properties: {
      kind: 'mechanical_check',
      gap_ids: gapIds,
      ...(evidence.stdout_sha256 ? { stdout_sha256: evidence.stdout_sha256 } : {}),
      ...(evidence.stderr_sha256 ? { stderr_sha256: evidence.stderr_sha256 } : {}),
      ...(evidence.stdout_hash ? { stdout_hash: evidence.stdout_hash } : {}),
      ...(evidence.duration_ms !== undefined ? { duration_ms: evidence.duration_ms } : {}),
      ...(evidence.timed_out ? { timed_out: true } : {}),
      ...(evidence.error ? { error: evidence.error } : {}),
    },
  };
}

/** autopack, then one invocation per distinct command (the same evidence behind two gaps counts once), in command order. */
export function invocationsOf(report: GapReportV1): SarifInvocation[] {
  const commands = new Map<string, { evidence: CommandEvidence; gapIds: string[] }>();
  for (const gap of report.gaps) {
    const evidence = gap.evidence?.command_evidence;
    if (!evidence) continue;
    const key = JSON.stringify([evidence.command, evidence.exit_code, evidence.stdout_sha256 ?? evidence.stdout_hash, evidence.stderr_sha256]);
    const entry = commands.get(key) ?? { evidence, gapIds: [] };
    entry.gapIds.push(gap.gap_id);
    commands.set(key, entry);
  }
  const sorted = [...commands.entries()].sort(([a], [b]) => compareCodePoints(a, b)).map(([, entry]) => entry);
  return [autopackInvocation(report), ...sorted.map((entry) => commandInvocation(entry.evidence, entry.gapIds.sort(compareCodePoints)))];
}
