import type { AnyDetector } from '../registry/types.ts';

/** A detector as a reporter may describe it (SARIF rules): its declaration, and whether it ships with autopack (and so has a docs page). */
export interface DetectorDescription {
  detector: AnyDetector;
  builtin: boolean;
}

/** Finds a detector by id in the registry the value was made with; undefined when it is not registered. */
export type DetectorLookup = (id: string) => Promise<DetectorDescription | undefined>;

/** What a reporter may know besides the value it renders. */
export interface ReportContext {
  /** Paths in human output are shown relative to this folder. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * The detectors behind a gap report, for reporters that describe rules. Commands that scan
   * pass their workspace's registry (plugins included); without it the built-ins are used.
   */
  detectors?: DetectorLookup;
}

/** Turns one kind of output into the text of one format, for stdout. */
export type Reporter<T> = (value: T, context: ReportContext) => string;

/** What a reporter returns when stdout is not all it has to say. */
export interface Rendered {
  /** The machine output. */
  stdout: string;
  /**
   * Markdown for the CI job page: `emit` appends it to the file `$GITHUB_STEP_SUMMARY` names,
   * when that variable is set. Reporters never write files themselves.
   */
  stepSummary?: string;
}

/** A reporter that looks things up (detectors) or has more than stdout to give (a step summary). */
export type RichReporter<T> = (value: T, context: ReportContext) => Rendered | Promise<Rendered>;

/** JSON as autopack writes it everywhere: two-space indent, trailing newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
