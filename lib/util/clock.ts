import { AutopackError } from './errors.ts';

/**
 * Every timestamp and duration goes through a Clock so that tests can pin time and
 * `SOURCE_DATE_EPOCH` can make output byte-identical.
 */
export interface Clock {
  /** The current time. */
  now(): Date;
  /** Milliseconds elapsed since a mark taken with `mark()`; always 0 for a fixed clock. */
  since(mark: number): number;
  mark(): number;
  /** True when time is pinned (SOURCE_DATE_EPOCH or a test clock). */
  readonly fixed: boolean;
}

// process.hrtime rather than performance.now(): the global `performance` loads node's whole
// perf_hooks at first use, which a short command pays for at start.
const nowMs = () => Number(process.hrtime.bigint() / 1000n) / 1000;

export const systemClock: Clock = {
  now: () => new Date(),
  mark: nowMs,
  since: (mark) => Math.max(0, Math.round(nowMs() - mark)),
  fixed: false,
};

export function fixedClock(date: Date): Clock {
  return { now: () => new Date(date.getTime()), mark: () => 0, since: () => 0, fixed: true };
}

/** The clock for a process environment: fixed when SOURCE_DATE_EPOCH is set. */
export function clockFromEnv(env: Record<string, string | undefined>): Clock {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return systemClock;
  if (!/^\d{1,12}$/.test(raw.trim())) {
    throw new AutopackError(`SOURCE_DATE_EPOCH must be a whole number of seconds, got '${raw}'`, {
      hint: 'unset it or set it to e.g. $(git log -1 --format=%ct)',
    });
  }
  return fixedClock(new Date(Number(raw.trim()) * 1000));
}

export function isoTimestamp(date: Date): string {
  return date.toISOString();
}
