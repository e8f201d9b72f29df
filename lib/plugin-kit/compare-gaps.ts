// How testDetector compares a scan's gaps with the expected ones: each expected gap names only
// the fields it cares about, gaps match in any order, and a mismatch is an AssertionError whose
// diff shows the expected gaps beside the actual ones, cut to the same fields.
import { AssertionError, deepStrictEqual } from 'node:assert';
import * as v from 'valibot';
import { RISK_LEVELS, type RiskLevel } from '../contracts/common.ts';
import type { Gap } from '../contracts/gap-report.ts';
import { formatIssues, issuesToLines } from '../contracts/issues.ts';
import { fillTemplate } from '../gaps/build-gap.ts';
import type { AnyDetector } from '../registry/types.ts';

/** A gap as a test expects it: every field is optional, and only the fields given are compared. */
export interface ExpectedGap {
  message_id?: string;
  /** Values of the message's placeholders: compared as the title and description they fill. */
  params?: Record<string, string | number>;
  title?: string;
  description?: string;
  /** The gap's evidence paths (sorted, at most 10: as the report shows them). */
  file_paths?: string[];
  signals?: string[];
  risk?: RiskLevel;
  blocks_autopilot?: boolean;
  gap_type?: string;
  gap_id?: string;
}

const ExpectedGapShape: v.GenericSchema<unknown, ExpectedGap> = v.strictObject({
  message_id: v.optional(v.string()),
  params: v.optional(v.record(v.string(), v.union([v.string(), v.number()]))),
  title: v.optional(v.string()),
  description: v.optional(v.string()),
  file_paths: v.optional(v.array(v.string())),
  signals: v.optional(v.array(v.string())),
  risk: v.optional(v.picklist(RISK_LEVELS)),
  blocks_autopilot: v.optional(v.boolean()),
  gap_type: v.optional(v.string()),
  gap_id: v.optional(v.string()),
});

type Shown = Record<string, unknown>;

/** A gap cut to the fields a test compares. */
function view(gap: Gap): Required<Omit<ExpectedGap, 'params'>> {
  return {
    message_id: gap.message_id ?? '',
    title: gap.title ?? '',
    description: gap.description ?? '',
    file_paths: gap.evidence?.file_paths ?? [],
    signals: gap.detection_signals ?? [],
    risk: gap.risk_classification,
    blocks_autopilot: gap.blocks_autopilot,
    gap_type: gap.gap_type,
    gap_id: gap.gap_id,
  };
}

/** An expected gap with its params turned into the title and description they fill (unless those are given). */
function resolveExpected(detector: AnyDetector, entry: ExpectedGap): Shown {
  const { params, ...rest } = entry;
  if (!params) return rest;
  const messageId = entry.message_id ?? Object.keys(detector.messages)[0]!;
  const message = detector.messages[messageId];
  if (!message) throw new TypeError(`testDetector: expected message_id '${messageId}' is not one of ${detector.id}'s messages (${Object.keys(detector.messages).join(', ')})`);
  return { title: fillTemplate(message.title, params), description: fillTemplate(message.description, params), ...rest };
}

const pick = (shown: Shown, keys: readonly string[]): Shown => Object.fromEntries(keys.filter((key) => key in shown).map((key) => [key, shown[key]]));

function matches(actual: Shown, expected: Shown): boolean {
  try {
    deepStrictEqual(pick(actual, Object.keys(expected)), expected);
    return true;
  } catch {
    return false;
  }
}

/** Checks the expected gaps' own shape, so that a typo (`messageId`) is named instead of ignored. */
export function parseExpected(expected: unknown): ExpectedGap[] {
  const result = v.safeParse(v.array(ExpectedGapShape), expected);
  if (result.success) return result.output;
  throw new TypeError(`testDetector: invalid expected gaps:\n  ${issuesToLines(formatIssues(result.issues)).join('\n  ')}`);
}

/**
 * Throws an AssertionError unless the detector's gaps are exactly the expected ones (in any
 * order). A failed detector is named with its error first: that is what needs fixing.
 */
export function assertGaps(detector: AnyDetector, gaps: readonly Gap[], expected: readonly ExpectedGap[]): void {
  const wanted = expected.map((entry) => resolveExpected(detector, entry));
  const failures = gaps.filter((gap) => gap.gap_type === 'unknown' && !wanted.some((entry) => entry.message_id === gap.message_id));
  if (failures.length > 0) {
    throw new AssertionError({ message: `testDetector(${detector.id}): ${failures.map((gap) => gap.description ?? gap.title).join('\n')}`, actual: failures.map(view), expected: wanted, operator: 'testDetector' });
  }
  const actual: Shown[] = gaps.map(view);
  const left = [...actual];
  const matched: Shown[] = [];
  const missing: Shown[] = [];
  for (const entry of wanted) {
    const index = left.findIndex((gap) => matches(gap, entry));
    if (index < 0) {
      missing.push(entry);
      continue;
    }
    matched.push(entry);
    left.splice(index, 1);
  }
  if (missing.length === 0 && left.length === 0) return;
  // The unmatched gaps, cut to the fields the test names, set against the expected ones that found no gap.
  const keys = [...new Set(wanted.flatMap((entry) => Object.keys(entry)))];
  const shownKeys = keys.length > 0 ? keys : ['message_id', 'file_paths'];
  const summary = `${missing.length} expected gap(s) not found, ${left.length} unexpected gap(s)`;
  const message = `testDetector(${detector.id}): the gaps differ from the expected ones (${summary})`;
  const shown = [...matched, ...left.map((gap) => pick(gap, shownKeys))];
  deepStrictEqual(shown, [...matched, ...missing], message);
  // The cut views can coincide where the gaps do not (a field only some expected gaps name).
  throw new AssertionError({ message, actual: [...matched, ...left], expected: [...matched, ...missing], operator: 'testDetector' });
}
