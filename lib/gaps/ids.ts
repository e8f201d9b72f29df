import { shortSha256 } from '../util/hash.ts';
import { compareCodePoints, sortedUnique } from '../util/sort.ts';

/**
 * `<type>-sha256("<type>:" + inputs joined by "|")[:12]` over the sorted, deduplicated
 * inputs (deduplicated, so that a file listed twice cannot change
 * the id).
 */
export function gapId(gapType: string, inputs: readonly string[]): string {
  return `${gapType}-${shortSha256(`${gapType}:${sortedUnique(inputs).join('|')}`, 12)}`;
}

/** `gap-report-` + sha256(digest + "\n" + sorted gap ids joined by "\n")[:12]: the same gaps in the same state, the same id. */
export function reportId(workspaceDigest: string, gapIds: readonly string[]): string {
  const ids = [...gapIds].sort(compareCodePoints);
  return `gap-report-${shortSha256(`${workspaceDigest}\n${ids.join('\n')}`, 12)}`;
}

/** The id a reader uses for a report written without `report_id` (the reference's form). */
export function legacyReportId(workspaceDigest: string | undefined): string {
  return `gap-report-${(workspaceDigest ?? 'unknown').slice(0, 12)}`;
}
