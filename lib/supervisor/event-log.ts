import { appendFileSync } from 'node:fs';
import type { Clock } from '../util/clock.ts';

/**
 * The supervisor's events as JSON Lines. A write that fails (a full disk, a removed folder)
 * never interrupts the runs: the first failure is kept, later events are not written, and the
 * supervisor reports it once everything is released.
 */
export class EventLog {
  failure: Error | undefined;

  constructor(
    readonly path: string,
    private readonly clock: Clock,
    private readonly onEvent?: (event: Record<string, unknown>) => void,
  ) {}

  emit(type: string, fields: Record<string, unknown> = {}): void {
    const entry = { ts: this.clock.now().toISOString(), type, ...fields };
    if (!this.failure) {
      try {
        appendFileSync(this.path, `${JSON.stringify(entry)}\n`);
      } catch (error) {
        this.failure = error as Error;
      }
    }
    try {
      this.onEvent?.(entry);
    } catch {
      /* a progress display must not stop a run */
    }
  }
}
