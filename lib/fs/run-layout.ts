import { isAbsolute, join, relative, sep } from 'node:path';
import { SAFE_ID_PATTERN } from '../contracts/common.ts';
import { AutopackError } from '../util/errors.ts';

/** Canonical run-local artifact paths, relative to the run's base directory. */
export const RUN_ARTIFACTS = {
  anchor: 'intention/intention_anchor_v2.json',
  legacyAnchor: 'intention_v2.json',
  gapReport: 'gaps/gap_report_v1.json',
  planProposal: 'plans/plan_proposal_v1.json',
  autopilotSession: 'autonomy/autopilot_session_v1.json',
  proofs: 'proofs',
  routingSnapshot: 'model_routing_snapshot.json',
} as const;

export function assertSafeId(kind: 'run_id' | 'project_id', value: string): string {
  if (!SAFE_ID_PATTERN.test(value)) {
    throw new AutopackError(`Invalid ${kind} '${value}': use 1-128 characters from A-Z a-z 0-9 . _ - starting with a letter or digit`);
  }
  return value;
}

/** A folder name turned into a valid project id (`My Repo!` → `My-Repo`). */
export function sanitizeProjectId(name: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 128)
    .replace(/[-.]+$/, '');
  return cleaned === '' ? 'workspace' : cleaned;
}

/**
 * The run family: the part of the run id before a timestamp suffix
 * (`-YYYYMMDD-HHMMSS` or `-<10+ digits>`), else the run id itself.
 */
export function runFamily(runId: string): string {
  const match = /^(.+?)-(?:\d{8}-\d{6}|\d{10,})/.exec(runId);
  return match ? match[1]! : runId;
}

function collapseConsecutiveDuplicates(segments: string[]): string[] {
  return segments.filter((segment, index) => index === 0 || segment !== segments[index - 1]);
}

/**
 * `<runs>/<project>/runs/<family>/<run_id>` with consecutive duplicate segments collapsed,
 * as the reference does (`p` + `r1` → `<runs>/p/runs/r1`). The runs root itself is never
 * altered.
 */
export function runBaseDir(runsDir: string, projectId: string, runId: string): string {
  assertSafeId('project_id', projectId);
  assertSafeId('run_id', runId);
  const segments = collapseConsecutiveDuplicates([projectId, 'runs', runFamily(runId), runId]);
  return join(runsDir, ...segments);
}

/** The path of `target` relative to `root` when inside it, else undefined. */
export function relativeInside(root: string, target: string): string | undefined {
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return rel === '' ? '' : undefined;
  return rel.split(sep).join('/');
}
