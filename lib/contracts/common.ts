import * as v from 'valibot';

export const RISK_LEVELS = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Rank for the stable severity sort. */
export const RISK_RANK: Record<RiskLevel, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** `run_id` / `project_id` charset: no separators, no leading dot or dash. */
export const SAFE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** RFC 3339 date-time: date, time and a timezone (`Z` or an offset). */
export const DateTime = v.pipe(v.string(), v.isoTimestamp());

export const NonNegativeInt = v.pipe(v.number(), v.integer(), v.minValue(0));

export const NonEmptyString = v.pipe(v.string(), v.minLength(1));

/** A digest of 16 to 64 lowercase hex characters. */
export const HexDigest = v.pipe(v.string(), v.regex(/^[a-f0-9]{16,64}$/));

export const EFFECTS = ['read_only', 'run_local_write', 'repo_write', 'git_write', 'network'] as const;
export type Effect = (typeof EFFECTS)[number];
