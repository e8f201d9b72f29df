import * as v from 'valibot';
import { RISK_LEVELS } from '../contracts/common.ts';
import { CommandEvidence, GapLocation } from '../contracts/gap-report.ts';
import { formatIssues, issuesToLines } from '../contracts/issues.ts';
import { sortedUnique } from '../util/sort.ts';
import type { AnyDetector, Finding } from './types.ts';

const Strings = v.array(v.string());

/** What a detector may return for one finding: checked where it returns it, before it becomes a gap. */
export const FindingShape = v.strictObject({
  message: v.optional(v.string()),
  inputs: v.optional(v.pipe(Strings, v.minLength(1))),
  params: v.optional(v.record(v.string(), v.union([v.string(), v.pipe(v.number(), v.finite())]))),
  evidence: v.optional(
    v.strictObject({
      file_paths: v.optional(Strings),
      test_names: v.optional(Strings),
      command_evidence: v.optional(CommandEvidence),
      locations: v.optional(v.array(GapLocation)),
    }),
  ),
  signals: v.optional(Strings),
  risk: v.optional(v.picklist(RISK_LEVELS)),
  blocks_autopilot: v.optional(v.boolean()),
  estimated_actions: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

/** A finding whose message and id inputs are settled. */
export type CheckedFinding = Finding & { message: string; inputs: string[] };

/**
 * The id inputs of a finding: its own, else its sorted evidence paths followed by
 * `message:<id>`, so that `{ evidence: { file_paths: ['LICENSE'] } }` has a stable id and two
 * messages about the same files still make two gaps.
 */
export function defaultInputs(finding: Finding, messageId: string): string[] {
  return [...sortedUnique(finding.evidence?.file_paths ?? []), `message:${messageId}`];
}

/**
 * Splits what `detect()` returned into valid findings and problems (`$[2].risk: …`): a value that
 * is not an array, a finding that breaks the shape, a message the detector does not declare, a
 * placeholder of its message that the finding gives no value for, or a finding without inputs
 * whose default inputs repeat an earlier one's (its gap would silently vanish as a duplicate).
 */
export function checkFindings(detector: AnyDetector, value: unknown): { valid: CheckedFinding[]; problems: string[] } {
  if (!Array.isArray(value)) return { valid: [], problems: [`$: detect() must return an array of findings, got ${value === null ? 'null' : typeof value}`] };
  const valid: CheckedFinding[] = [];
  const problems: string[] = [];
  const defaulted = new Map<string, number>();
  value.forEach((item, index) => {
    const result = v.safeParse(FindingShape, item);
    if (!result.success) {
      problems.push(...issuesToLines(formatIssues(result.issues)).map((line) => line.replace(/^\$/, `$[${index}]`)));
      return;
    }
    const finding = result.output as Finding;
    const messageId = finding.message ?? Object.keys(detector.messages)[0]!;
    const message = detector.messages[messageId];
    if (!message) {
      problems.push(`$[${index}].message: '${messageId}' is not one of the detector's messages (${Object.keys(detector.messages).join(', ')})`);
      return;
    }
    const missing = message.params.filter((name) => !(name in (finding.params ?? {})));
    if (missing.length > 0) {
      problems.push(`$[${index}].params: no value for ${missing.map((name) => `{${name}}`).join(', ')} of message '${messageId}'`);
      return;
    }
    if (finding.inputs) {
      valid.push({ ...finding, message: messageId, inputs: finding.inputs });
      return;
    }
    const inputs = defaultInputs(finding, messageId);
    const key = inputs.join('|');
    const earlier = defaulted.get(key);
    if (earlier !== undefined) {
      problems.push(`$[${index}].inputs: missing, and the default (its file paths and message '${messageId}') is the same as $[${earlier}]'s: give each finding its own inputs`);
      return;
    }
    defaulted.set(key, index);
    valid.push({ ...finding, message: messageId, inputs });
  });
  return { valid, problems };
}
