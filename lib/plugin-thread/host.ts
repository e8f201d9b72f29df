// The command's side of a plugin's thread: it starts the thread, answers the plugin's context
// calls through `serve`, and ends the thread when the plugin is done, fails, or runs past its
// time limit (terminating a thread stops even a busy loop). What the thread prints goes to
// stderr: stdout carries only the command's result.
import type { Worker } from 'node:worker_threads';
import { packageModule } from '../paths.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';
import { startModuleThread } from '../util/thread.ts';
import type { FromThread, ThreadData, ToThread } from './protocol.ts';
import { TIMED_OUT } from './timed-out.ts';

export { TIMED_OUT };

const THREAD_MODULE = packageModule('lib/plugin-thread/thread');

export interface ThreadServer {
  /** Answers one context call of the plugin (its own rules apply: an error is the plugin's refusal). */
  serve(method: string, args: unknown[]): Promise<unknown>;
  logger: Logger;
  note?(message: string): void;
  /** Drop what the plugin prints (a probe whose real run prints it anyway). */
  quiet?: boolean;
}

type Outcome = { value: unknown } | { error: Error };

/** One plugin's thread: phases run one after the other, each within the time limit. */
export class PluginThread {
  #worker: Worker | undefined;
  #closed = false;
  #settle: ((outcome: Outcome) => void) | undefined;

  constructor(
    private readonly data: () => ThreadData,
    private readonly server: ThreadServer,
    private readonly timeoutMs: number,
  ) {}

  #start(): Worker {
    const worker = startModuleThread(THREAD_MODULE, { ...this.data() }, { stdout: true, stderr: true });
    // Anything that slips past the thread's own capture still lands on stderr, never stdout.
    if (this.server.quiet) {
      worker.stdout.resume();
      worker.stderr.resume();
    } else {
      worker.stdout.pipe(process.stderr, { end: false });
      worker.stderr.pipe(process.stderr, { end: false });
    }
    worker.on('message', (message: FromThread) => this.#receive(message));
    worker.on('error', (error) => this.#settle?.({ error }));
    worker.on('exit', (code) => {
      if (!this.#closed) this.#settle?.({ error: new Error(`its thread ended (exit code ${code}) before it finished`) });
    });
    return worker;
  }

  #receive(message: FromThread): void {
    if (message.type === 'output') {
      if (!this.server.quiet) process.stderr.write(message.text);
    } else if (message.type === 'note') this.server.note?.(message.message);
    else if (message.type === 'log') this.server.logger[message.level](message.message);
    else if (message.type === 'done') this.#settle?.({ value: message.value });
    else if (message.type === 'threw') this.#settle?.({ error: Object.assign(new Error(message.message), { ...(message.name ? { name: message.name } : {}), ...(message.stack ? { stack: message.stack } : {}) }) });
    else if (message.type === 'call') void this.#answer(message.id, message.method, message.args);
  }

  async #answer(id: number, method: string, args: unknown[]): Promise<void> {
    let reply: ToThread;
    try {
      reply = { type: 'reply', id, ok: true, value: await this.server.serve(method, args) };
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      reply = { type: 'reply', id, ok: false, message: failure.message, name: failure.name };
    }
    if (this.#closed) return;
    try {
      this.#worker?.postMessage(reply);
    } catch (error) {
      this.#worker?.postMessage({ type: 'reply', id, ok: false, message: `the answer cannot be passed on: ${(error as Error).message}` } satisfies ToThread);
    }
  }

  /** Runs one phase in the thread: its value, the plugin's error (rejected), or TIMED_OUT (the thread is then ended). */
  run(phase: string): Promise<unknown> {
    this.#worker ??= this.#start();
    const worker = this.#worker;
    return new Promise<unknown>((resolve, reject) => {
      // Not unref'd: a plugin that awaits nothing at all must still be timed out.
      const timer = setTimeout(() => {
        this.close();
        resolve(TIMED_OUT);
      }, this.timeoutMs);
      this.#settle = (outcome) => {
        clearTimeout(timer);
        this.#settle = undefined;
        if ('error' in outcome) reject(outcome.error);
        else resolve(outcome.value);
      };
      worker.postMessage({ type: 'run', phase } satisfies ToThread);
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    void this.#worker?.terminate();
  }
}

/** The time a thread's clock is pinned to (SOURCE_DATE_EPOCH, a test clock), when the command's clock is pinned. */
export function pinnedTime(clock: Clock): { fixedNow?: number } {
  return clock.fixed ? { fixedNow: clock.now().getTime() } : {};
}

/**
 * One phase in a thread of its own: its value, the plugin's error, or `timedOut()` when it ran
 * past the limit. The thread is ended whatever happens.
 */
export async function runOnce(data: () => ThreadData, server: ThreadServer, timeoutMs: number, phase: string, timedOut: () => Error): Promise<unknown> {
  const thread = new PluginThread(data, server, timeoutMs);
  try {
    const value = await thread.run(phase);
    if (value === TIMED_OUT) throw timedOut();
    return value;
  } finally {
    thread.close();
  }
}
