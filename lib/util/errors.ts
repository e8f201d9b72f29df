// Every error autopack raises on purpose, in one place. The CLI prints an AutopackError (and its
// subclasses) as one clear message with exit code 2 unless stated, never with a stack trace;
// anything else is a bug and is reported as "unexpected error".
import * as v from 'valibot';
import { formatIssues, issuesToLines, type ValidationIssue } from '../contracts/issues.ts';

/**
 * An error the user can act on: bad input, configuration or a refusal. The CLI prints its
 * message (and hint) without a stack trace and exits with `exitCode` (2 unless stated).
 */
export class AutopackError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;
  /** Extra lines printed under the message (named so as not to look like a test framework's diff). */
  readonly extraLines: string[];

  constructor(message: string, options: { exitCode?: number; hint?: string; extraLines?: string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AutopackError';
    this.exitCode = options.exitCode ?? 2;
    this.hint = options.hint;
    this.extraLines = options.extraLines ?? [];
  }
}

/** An invalid configuration: every problem as `path: message`, the file named. */
export class ConfigError extends AutopackError {
  readonly issues: ValidationIssue[];
  constructor(display: string, issues: ValidationIssue[]) {
    super(`${display}: invalid configuration:\n  ${issuesToLines(issues).join('\n  ')}`, {
      hint: 'see docs/CONFIG.md or `autopack schema config`',
    });
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** An artifact that does not satisfy its contract: every problem as `path: message`, the file named. */
export class InvalidArtifactError extends AutopackError {
  readonly issues: ValidationIssue[];
  constructor(display: string, kind: string, issues: ValidationIssue[]) {
    super(`${display}: not a valid ${kind}:\n  ${issuesToLines(issues).join('\n  ')}`, { hint: `autopack validate ${display} lists every error` });
    this.name = 'InvalidArtifactError';
    this.issues = issues;
  }
}

/** A command-line flag with a wrong value or name. */
export class UsageError extends AutopackError {
  constructor(message: string, hint = 'run `autopack --help` for usage') {
    super(message, { hint });
    this.name = 'UsageError';
  }
}

/** An action handler tried something its approval does not cover. */
export class ActionRefused extends Error {
  override name = 'ActionRefused';
}

/** An action handler did more than its declared effects allow. */
export class EffectViolation extends Error {
  override name = 'EffectViolation';
}

/** autopack built something that breaks its own contract: a bug, reported with the field at fault. */
export class InternalError extends Error {
  override name = 'InternalError';
}

/**
 * Validates what autopack itself produced against its contract and returns the parsed value.
 * A failure can only be a bug (a detector or a builder writing a wrong field), so it is an
 * InternalError naming every field at fault.
 */
export function assertContract<TSchema extends v.GenericSchema>(schema: TSchema, value: unknown, name: string): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  throw new InternalError(`internal error: ${name} does not satisfy its contract:\n  ${issuesToLines(formatIssues(result.issues)).join('\n  ')}`);
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
