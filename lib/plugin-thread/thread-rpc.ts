// The thread's end of the channel: calls to the command (answered in order of arrival), and
// what the plugin prints, logs and notes, all on the one port so that none of it is lost or
// reordered when the thread ends.
import { format } from 'node:util';
import { parentPort } from 'node:worker_threads';
import { fixedClock, systemClock, type Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';
import type { FromThread, ToThread } from './protocol.ts';

const port = parentPort!;
export const post = (message: FromThread) => port.postMessage(message);

let lastCall = 0;
const waiting = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();

/** A call to the command's side; an argument that cannot be copied (a function, say) is the plugin's error, not a hang. */
export function call<T>(method: string, ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const id = ++lastCall;
    waiting.set(id, { resolve, reject });
    try {
      post({ type: 'call', id, method, args });
    } catch (error) {
      waiting.delete(id);
      reject(error as Error);
    }
  });
}

export function settle(reply: Extract<ToThread, { type: 'reply' }>): void {
  const pending = waiting.get(reply.id);
  if (!pending) return;
  waiting.delete(reply.id);
  if (reply.ok) pending.resolve(reply.value);
  // The command's refusals keep their names (ActionRefused, EffectViolation): the handler may tell them apart.
  else pending.reject(Object.assign(new Error(reply.message), reply.name ? { name: reply.name } : {}));
}

export function once<T>(get: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= get());
}

const log = (level: keyof Logger) => (message: string) => post({ type: 'log', level, message: String(message) });
export const threadLogger: Logger = { info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug'), success: log('success') };

/** What the plugin prints goes to the command's stderr: stdout carries only the command's result. */
export function captureOutput(): void {
  const printed = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    post({ type: 'output', text });
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  };
  process.stdout.write = printed as typeof process.stdout.write;
  process.stderr.write = printed as typeof process.stderr.write;
  for (const method of ['log', 'info', 'debug', 'warn', 'error', 'trace'] as const) {
    console[method] = (...parts: unknown[]) => printed(`${format(...parts)}\n`);
  }
}

/** Bytes arrive as a plain Uint8Array; a Buffer over the same memory behaves as it does on the command's thread. */
export const asBuffer = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : undefined);

/** The command's clock as the thread sees it: pinned to the same time, or the system's. */
export const clockOf = (fixedNow: number | undefined): Clock => (fixedNow === undefined ? systemClock : fixedClock(new Date(fixedNow)));
