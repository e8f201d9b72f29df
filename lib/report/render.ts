import { BUILTIN_REPORTERS } from '../registry/builtin-index.ts';
import { UsageError } from '../util/errors.ts';
import json from './json.ts';
import type { ReportContext } from './types.ts';

/** A kind of output that has reporters: a folder of lib/report/. */
export type OutputKind = string;

/** The formats a kind of output can be printed in: `json` first, then its reporters' in name order. */
export function formatsOf(kind: OutputKind): string[] {
  return ['json', ...Object.keys(BUILTIN_REPORTERS[kind] ?? {}).sort()];
}

/** Renders a value of `kind` in `format` with that format's reporter (imported only now). */
export async function render(kind: OutputKind, format: string, value: unknown, context: ReportContext): Promise<string> {
  if (format === 'json') return json(value, context);
  const load = BUILTIN_REPORTERS[kind]?.[format];
  if (!load) throw new UsageError(`--format ${format}: expected one of ${formatsOf(kind).join(', ')}`);
  const module = await load();
  return (module.default as (value: unknown, context: ReportContext) => string)(value, context);
}
