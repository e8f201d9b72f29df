// The scan's side of a configured plugin detector's thread: it starts the thread, answers the
// detector's context calls with the scan's own shared context, and ends the thread when the
// detector is done, fails, or runs past its time limit (terminating a thread stops even a busy
// loop). What the thread prints goes to stderr: stdout carries only the scan's result.
import type { Worker } from 'node:worker_threads';
import { packageModule } from '../paths.ts';
import type { DetectorContext } from '../registry/types.ts';
import { startModuleThread } from '../util/thread.ts';
import { fileListOf, type ScanPlan, type SharedScanState } from './context.ts';
import type { ChangedFile, FromThread, PluginCall, PluginPhase, PluginThreadData, ToThread } from './plugin-thread-protocol.ts';
import { partialByteSource } from './scope.ts';

export const TIMED_OUT = Symbol('timed out');

const THREAD_MODULE = packageModule('lib/gaps/plugin-thread');

/** A partial scan's changed files, whole, for a plugin inspector in its thread. */
async function changedFiles(shared: SharedScanState): Promise<ChangedFile[]> {
  if (!shared.partial) return [];
  const source = await partialByteSource(shared.partial, shared.git, shared.root, () => 'all');
  const out: ChangedFile[] = [];
  for (const path of (await fileListOf(shared)).files) {
    const read = source.read(path, () => 'all');
    // The source may reuse one buffer between reads: each file keeps its own copy.
    if (read) out.push({ path, size: read.size, ...(read.bytes ? { bytes: read.bytes.slice() } : {}) });
  }
  return out;
}

function threadData(shared: SharedScanState, plan: ScanPlan, context: DetectorContext<unknown, unknown>, cache: PluginThreadData['cache']): PluginThreadData {
  return {
    plugin: plan.plugin!,
    detectorId: plan.detector.id,
    root: shared.root,
    runsDir: shared.runsDir,
    scope: context.scope,
    ...(shared.partial ? { changes: [...shared.partial.changes] } : {}),
    repo: shared.repo,
    env: { ...shared.env },
    options: plan.options,
    checks: plan.checks,
    protectedPaths: shared.protectedPaths,
    exclude: shared.exclude,
    ...(shared.clock.fixed ? { fixedNow: shared.clock.now().getTime() } : {}),
    ...(cache ? { cache } : {}),
  };
}

/** One plugin detector's thread for the length of one scan. */
export class PluginThread {
  #worker: Worker | undefined;
  #closed = false;
  #settle: ((outcome: { value: unknown } | { error: Error } | typeof TIMED_OUT) => void) | undefined;

  constructor(
    private readonly shared: SharedScanState,
    private readonly plan: ScanPlan,
    private readonly context: DetectorContext<unknown, unknown>,
  ) {}

  #start(): Worker {
    const cache = this.shared.cache.forDetector(this.plan.detector.id).stored();
    const worker = startModuleThread(THREAD_MODULE, { ...threadData(this.shared, this.plan, this.context, cache) }, { stdout: true, stderr: true });
    worker.stdout.pipe(process.stderr, { end: false });
    worker.stderr.pipe(process.stderr, { end: false });
    worker.on('message', (message: FromThread) => this.#receive(message));
    worker.on('error', (error) => this.#settle?.({ error }));
    worker.on('exit', (code) => {
      if (!this.#closed) this.#settle?.({ error: new Error(`its thread ended (exit code ${code}) before it finished`) });
    });
    return worker;
  }

  #receive(message: FromThread): void {
    if (message.type === 'output') process.stderr.write(message.text);
    else if (message.type === 'note') this.context.note(message.message);
    else if (message.type === 'log') this.context.logger[message.level](message.message);
    else if (message.type === 'done') this.#settle?.({ value: message.value });
    else if (message.type === 'threw') this.#settle?.({ error: Object.assign(new Error(message.message), message.stack ? { stack: message.stack } : {}) });
    else if (message.type === 'call') void this.#answer(message.id, message.method, message.args);
  }

  async #answer(id: number, method: PluginCall, args: unknown[]): Promise<void> {
    let reply: ToThread;
    try {
      reply = { type: 'reply', id, ok: true, value: await this.#serve(method, args) };
    } catch (error) {
      reply = { type: 'reply', id, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    if (this.#closed) return;
    try {
      this.#worker?.postMessage(reply);
    } catch (error) {
      this.#worker?.postMessage({ type: 'reply', id, ok: false, message: `the answer cannot be passed on: ${(error as Error).message}` } satisfies ToThread);
    }
  }

  #serve(method: PluginCall, args: unknown[]): Promise<unknown> {
    const ctx = this.context;
    const [first, second] = args as [any, any];
    switch (method) {
      case 'files':
        return ctx.files();
      case 'stat':
        return ctx.stat(String(first));
      case 'readFile':
        return ctx.readFile(String(first));
      case 'status':
        return ctx.status();
      case 'runCheck':
        return ctx.runCheck(first);
      case 'git.run':
        return ctx.git.run(first, second);
      case 'cache.write':
        return ctx.cache.write(String(first), second);
      case 'changedFiles':
        return changedFiles(this.shared);
    }
  }

  /** Runs one phase in the thread: its value, the plugin's error, or TIMED_OUT (the thread is then ended). */
  run(phase: PluginPhase): Promise<unknown> {
    this.#worker ??= this.#start();
    const worker = this.#worker;
    return new Promise<unknown>((resolve, reject) => {
      // Not unref'd: a detector that awaits nothing at all must still be timed out.
      const timer = setTimeout(() => {
        this.close();
        resolve(TIMED_OUT);
      }, this.plan.timeoutMs);
      this.#settle = (outcome) => {
        clearTimeout(timer);
        this.#settle = undefined;
        if (outcome === TIMED_OUT) resolve(TIMED_OUT);
        else if ('error' in outcome) reject(outcome.error);
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
