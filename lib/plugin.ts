// `autopack/plugin`: what a plugin author imports. The identity helpers that give a plugin its
// types, the types a plugin sees (plain data and Uint8Array: no Node types needed), and
// testDetector. Importing it loads none of the scanner: testDetector loads that when called.
import type { GapReportV1 } from './contracts/gap-report.ts';
import type { ExpectedGap } from './plugin-kit/compare-gaps.ts';
import type { FixtureFiles } from './plugin-kit/fixture-repo.ts';
import type { TestDetectorOptions } from './plugin-kit/test-detector.ts';
import type { DetectorDefinition } from './registry/types.ts';

export {
  defineDetector,
  defineAction,
  type DetectorDefinition,
  type DetectorContext,
  type DetectorMessage,
  type Finding,
  type FileInspector,
  type FileView,
  type FileInfo,
  type Inspected,
  type CheckDiscoveryContext,
  type RemediationSpec,
  type PlanFacts,
  type ActionDefinition,
  type ActionContext,
  type ActionOutcome,
} from './registry/types.ts';
export type { GitReader, GitResult, RepoState, StatusEntry } from './git/types.ts';
export type { CheckSpec } from './contracts/config.ts';
export type { Gap, GapReportV1 } from './contracts/gap-report.ts';
export type { Action } from './contracts/plan-proposal.ts';
export type { RiskLevel, Effect } from './contracts/common.ts';
export type { ExpectedGap, FixtureFiles, TestDetectorOptions };
export type { FileContent, FileStates } from './plugin-kit/fixture-repo.ts';

/**
 * Tests a detector the way a scan runs it: `files` (path → content, or `{ committed, staged,
 * worktree }`) become a temporary git repository, the scan runs only this detector through the
 * real registry and scanner, and its gaps must be exactly `expected` (each naming only the fields
 * it compares, in any order). Throws an AssertionError with a diff otherwise; returns the report.
 * Works under any test runner, or none: `node my-detector.test.mjs`.
 */
export async function testDetector<TOptions, TVerdict>(
  definition: DetectorDefinition<TOptions, TVerdict>,
  files: FixtureFiles,
  expected: readonly ExpectedGap[],
  options: TestDetectorOptions = {},
): Promise<GapReportV1> {
  const { runTestDetector } = await import('./plugin-kit/test-detector.ts');
  return runTestDetector(definition, files, expected, options);
}
