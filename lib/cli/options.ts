import * as v from 'valibot';
import { UsageError } from '../util/errors.ts';

/** One command-line option: how it is written, what it means, and the schema its value must satisfy. */
export interface OptionSpec {
  /** As cac takes it: `--workers <n>`, `--write`, `--no-checks`. */
  flag: string;
  description: string;
  /** Checks (and converts) the raw value: a string for `<value>` options, a boolean for switches. */
  schema: v.GenericSchema<unknown, unknown>;
}

/** The long name of an option (`--run-ids <ids>` → `run-ids`; `--no-checks` → `checks`). */
export function optionName(spec: Pick<OptionSpec, 'flag'>): string {
  return spec.flag.split(/[ ,]+/).find((part) => part.startsWith('--'))!.replace(/^--(no-)?/, '');
}

/** The key a parsed option is stored under: `run-ids` → `runIds`. */
export function optionKey(spec: Pick<OptionSpec, 'flag'>): string {
  return optionName(spec).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

export const takesValue = (spec: Pick<OptionSpec, 'flag'>) => spec.flag.includes('<');

/** `<value>` options: a non-empty string. */
export function text(flag: string, description: string): OptionSpec {
  return { flag, description, schema: v.optional(v.pipe(v.string(), v.minLength(1, 'needs a value'))) };
}

/** Switches: present or not (`--no-x` gives false). */
export function flag(flagText: string, description: string): OptionSpec {
  return { flag: flagText, description, schema: v.optional(v.boolean()) };
}

/** One of a fixed set of words. */
export function choice<const T extends string>(flagText: string, description: string, choices: readonly T[]): OptionSpec {
  return { flag: flagText, description, schema: v.optional(v.picklist(choices, `expected one of ${choices.join(', ')}`)) };
}

/** A whole number of at least `min`, given as digits. */
export function wholeNumber(flagText: string, description: string, min = 1): OptionSpec {
  return {
    flag: flagText,
    description,
    schema: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^\d+$/, `expected a whole number ≥ ${min}`),
        v.transform(Number),
        v.minValue(min, `expected a whole number ≥ ${min}`),
      ),
    ),
  };
}

/** A positive number (seconds, say), decimals allowed. */
export function positiveNumber(flagText: string, description: string): OptionSpec {
  return {
    flag: flagText,
    description,
    schema: v.optional(
      v.pipe(v.string(), v.regex(/^\d+(\.\d+)?$/, 'expected a positive number'), v.transform(Number), v.minValue(Number.MIN_VALUE, 'expected a positive number')),
    ),
  };
}

/** A comma-separated list; empty items are an error, not silently dropped (`a,,b`). */
export function list(flagText: string, description: string): OptionSpec {
  return {
    flag: flagText,
    description,
    schema: v.optional(
      v.pipe(
        v.string(),
        v.transform((raw) => raw.split(',').map((item) => item.trim())),
        v.check((items) => items.every((item) => item !== ''), 'has an empty item (two commas in a row, or a comma at an end)'),
      ),
    ),
  };
}

/** Options that may be given more than once. */
const REPEATED = new WeakSet<OptionSpec>();

/** Repeatable `<value>` options: every occurrence kept, in order. */
export function repeated(flagText: string, description: string): OptionSpec {
  const spec: OptionSpec = {
    flag: flagText,
    description,
    schema: v.optional(v.pipe(v.union([v.string(), v.array(v.string())]), v.transform((raw) => (Array.isArray(raw) ? raw : [raw])))),
  };
  REPEATED.add(spec);
  return spec;
}

/**
 * Checks raw option values (strings as typed, booleans for switches) against their specs.
 * Every problem is one UsageError line naming the flag and what it expects.
 */
export function parseOptions(specs: readonly OptionSpec[], raw: Record<string, unknown>): Record<string, unknown> {
  const parsed: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const spec of specs) {
    const key = optionKey(spec);
    let value = raw[key];
    if (Array.isArray(value) && !REPEATED.has(spec)) {
      problems.push(`--${optionName(spec)} was given more than once`);
      continue;
    }
    if (takesValue(spec) && value === true) value = '';
    const result = v.safeParse(spec.schema, value);
    if (result.success) {
      if (result.output !== undefined) parsed[key] = result.output;
    } else {
      const shown = typeof value === 'string' ? ` ${value === '' ? "''" : value}` : '';
      problems.push(`--${optionName(spec)}${shown}: ${result.issues[0]!.message}`);
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return parsed;
}
