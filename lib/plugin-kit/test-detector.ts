// testDetector: a detector's test through the real scanner. The fixture becomes a real git
// repository, the detector is registered like a configured plugin (same checks of its shape and
// findings), the scan runs only it, and its gaps are compared with the expected ones.
import { AssertionError } from 'node:assert';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GapReportV1 } from '../contracts/gap-report.ts';
import { compareFingerprints, describeChanges, fingerprintWorkspace, hasChanges } from '../git/fingerprint.ts';
import { createGit } from '../git/git.ts';
import { scanGaps } from '../gaps/scan-gaps.ts';
import type { ScanScope } from '../gaps/scan-scope.ts';
import { fixedClock } from '../util/clock.ts';
import { assertGaps, parseExpected, type ExpectedGap } from './compare-gaps.ts';
import { buildFixtureRepo, FIXTURE_DATE, fixtureGitEnv, type FixtureFiles } from './fixture-repo.ts';

export interface TestDetectorOptions {
  /** `detectors.<id>.options` (checked against the detector's schema, as in a real config). */
  options?: unknown;
  /** The rest of an autopack.config (`checks`, `exclude`, `protected_paths`, `detectors`…). */
  config?: Record<string, unknown>;
  /** Judge only a change (`{ mode: 'staged' }`, `{ mode: 'files', files }`); default the whole workspace. */
  scope?: ScanScope;
  /** Run the detector's mechanical checks (default: as `gaps scan` does, yes for a full scan). */
  checks?: boolean;
  /** `false`: a plain folder, no git repository. */
  git?: boolean;
  /** More environment for the scan and its checks (PATH and the like come from this process). */
  env?: Record<string, string | undefined>;
  /** Expect the detector to be skipped (isEnabled said no, or a partial scan): `true`, or text its reason contains. */
  skipped?: boolean | string;
}

function idOf(definition: unknown): string {
  const id = (definition as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') throw new TypeError('testDetector: the first argument must be a detector definition (an object with an id)');
  return id;
}

function configFor(id: string, options: TestDetectorOptions): Record<string, unknown> {
  const config = { ...(options.config ?? {}) };
  if (options.options === undefined) return config;
  const detectors = (config.detectors ?? {}) as Record<string, Record<string, unknown>>;
  return { ...config, detectors: { ...detectors, [id]: { ...(detectors[id] ?? {}), options: options.options } } };
}

function checkSkipped(id: string, report: GapReportV1, expected: TestDetectorOptions['skipped']): boolean {
  const skip = report.metadata?.skipped_detectors?.find((entry) => entry.detector === id);
  if (!skip && !expected) return false;
  if (skip && !expected) throw new AssertionError({ message: `testDetector(${id}): the detector did not run: ${skip.reason}`, actual: 'skipped', expected: 'run', operator: 'testDetector' });
  if (!skip) throw new AssertionError({ message: `testDetector(${id}): expected the detector to be skipped, but it ran`, actual: 'run', expected: 'skipped', operator: 'testDetector' });
  if (typeof expected === 'string' && !skip.reason.includes(expected)) {
    throw new AssertionError({ message: `testDetector(${id}): skipped for another reason: ${skip.reason}`, actual: skip.reason, expected, operator: 'testDetector' });
  }
  return true;
}

/**
 * Builds a temporary git repository from `files`, scans it with only `definition` (registered
 * like a config plugin: its shape, messages and findings are checked as in a real scan), checks
 * that it left the repository as it was, and compares its gaps with `expected` (each naming only
 * the fields it cares about, any order). Throws an AssertionError with a diff on a mismatch;
 * returns the report for further checks. The repository is removed afterwards.
 */
export async function runTestDetector(definition: unknown, files: FixtureFiles, expected: readonly ExpectedGap[], options: TestDetectorOptions = {}): Promise<GapReportV1> {
  const id = idOf(definition);
  const wanted = parseExpected(expected);
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'autopack-test-detector-')));
  const root = join(base, 'repo');
  const env = fixtureGitEnv({ ...process.env, ...(options.env ?? {}) });
  try {
    await buildFixtureRepo(root, files, { git: options.git !== false, env });
    // The config lies beside the repository, not in it: the detector sees only the fixture's files.
    const configPath = join(base, 'autopack.config.json');
    writeFileSync(configPath, JSON.stringify(configFor(id, options)));
    const git = createGit({ root, env });
    const fingerprint = () => fingerprintWorkspace({ root, git, runsDir: join(root, '.autonomous_runs') });
    const before = await fingerprint();
    const { report, workspace } = await scanGaps({
      workspace: root,
      cwd: root,
      env,
      configPath,
      only: [id],
      definitions: [{ source: `testDetector(${id})`, value: definition }],
      clock: fixedClock(new Date(FIXTURE_DATE)),
      ...(options.scope ? { scope: options.scope } : {}),
      ...(options.checks !== undefined ? { checks: options.checks } : {}),
    });
    const changes = compareFingerprints(before, await fingerprint());
    if (hasChanges(changes)) {
      throw new AssertionError({ message: `testDetector(${id}): the scan changed the repository (a detector must be read-only): ${describeChanges(changes)}`, operator: 'testDetector' });
    }
    if (checkSkipped(id, report, options.skipped)) return report;
    const detector = await workspace.registry.detectors.get(id)!.load();
    assertGaps(detector, report.gaps, wanted);
    return report;
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
