import { BUILTIN_REPORTERS } from '../registry/builtin-index.ts';
import { UsageError } from '../util/errors.ts';
import json from './json.ts';
import type { Rendered, ReportContext } from './types.ts';

/** A kind of output that has reporters: a folder of lib/report/. */
export type OutputKind = string;

/** The formats a kind of output can be printed in: `json` first, then its reporters' in name order. */
export function formatsOf(kind: OutputKind): string[] {
  return ['json', ...Object.keys(BUILTIN_REPORTERS[kind] ?? {}).sort()];
}

type AnyReporter = (value: unknown, context: ReportContext) => string | Rendered | Promise<string | Rendered>;

/**
 * Renders a value of `kind` in `format` with that format's reporter (imported only now): its
 * stdout text and, for reporters that have one, a step summary. A reporter is a `Reporter`
 * (text) or a `RichReporter` (`{ stdout, stepSummary }`, possibly async); callers see one shape.
 */
export async function renderOutput(kind: OutputKind, format: string, value: unknown, context: ReportContext): Promise<Rendered> {
  if (format === 'json') return { stdout: json(value, context) };
  const load = BUILTIN_REPORTERS[kind]?.[format];
  if (!load) throw new UsageError(`--format ${format}: expected one of ${formatsOf(kind).join(', ')}`);
  const module = await load();
  const output = await (module.default as AnyReporter)(value, context);
  return typeof output === 'string' ? { stdout: output } : output;
}

/** Renders a value of `kind` in `format`: the text a command prints on stdout. */
export async function render(kind: OutputKind, format: string, value: unknown, context: ReportContext): Promise<string> {
  return (await renderOutput(kind, format, value, context)).stdout;
}
