import { gapReportSchema, type GapReportV1 } from '../contracts/gap-report.ts';
import { validate } from '../contracts/issues.ts';
import type { InputFileOptions } from '../fs/guarded-read.ts';
import { readStructuredFile } from '../fs/read-structured.ts';
import { InvalidArtifactError } from '../util/errors.ts';

/** A gap report from a file (autopack's or the Python tool's), checked against the gap types the registry knows. */
export async function readGapReport(path: string, display: string, gapTypes: readonly string[], options: InputFileOptions = {}): Promise<GapReportV1> {
  const data = await readStructuredFile(path, display, options);
  const result = validate(gapReportSchema(gapTypes), data);
  if (!result.ok) throw new InvalidArtifactError(display, 'GapReportV1', result.issues);
  return result.value as GapReportV1;
}
