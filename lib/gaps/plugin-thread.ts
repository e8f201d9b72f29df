// The thread one configured plugin detector runs in. A plugin is repository code: it may spin
// (a busy loop awaits nothing), and on the scan's own thread that would stop every timer and
// signal handler. Here it can only stall this thread, which the scan ends at the detector's
// time limit or when the command is interrupted. The detector sees the same context as
// anywhere else; everything but plain data is a call answered by the scan.
import { format } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import picomatch from 'picomatch';
import { importPluginModule } from '../registry/import-module.ts';
import { pluginDetectorFrom } from '../registry/load.ts';
import type { DetectorContext, FileInfo } from '../registry/types.ts';
import { fixedClock, systemClock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';
import { decodeUtf8, HEAD_BYTES, inspectFiles, workingTreeSource, type ByteSource } from './file-pass.ts';
import type { ChangedFile, FromThread, PluginCall, PluginPhase, PluginThreadData, ToThread } from './plugin-thread-protocol.ts';

const port = parentPort!;
const data = workerData as PluginThreadData;
const post = (message: FromThread) => port.postMessage(message);

// What the plugin prints travels on the same channel as its result, so none of it is lost when
// the thread ends and all of it lands on the scan's stderr: stdout carries only the result.
const printed = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
  post({ type: 'output', text: typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') });
  const done = typeof encoding === 'function' ? encoding : callback;
  if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
  return true;
};
process.stdout.write = printed as typeof process.stdout.write;
process.stderr.write = printed as typeof process.stderr.write;
for (const method of ['log', 'info', 'debug', 'warn', 'error', 'trace'] as const) {
  console[method] = (...parts: unknown[]) => printed(`${format(...parts)}\n`);
}

let lastCall = 0;
const waiting = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();

function call<T>(method: PluginCall, ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const id = ++lastCall;
    waiting.set(id, { resolve, reject });
    try {
      post({ type: 'call', id, method, args });
    } catch (error) {
      // An argument that cannot be copied (a function, say) is the plugin's error, not a hang.
      waiting.delete(id);
      reject(error as Error);
    }
  });
}

function once<T>(get: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= get());
}

const detector = importPluginModule(data.plugin.specifier, data.plugin.baseDir, data.plugin.workspaceRoot).then(({ module }) =>
  pluginDetectorFrom(module, data.plugin.specifier, data.detectorId),
);
// A plugin that fails to load is reported by the phase that awaits it, not as an unhandled rejection.
detector.catch(() => {});

/** A partial scan's changed files, read by the scan from where the change lives (the index, for --staged). */
function changedSource(files: readonly ChangedFile[]): ByteSource {
  const byPath = new Map(files.map((file) => [file.path, { ...file, bytes: asBuffer(file.bytes) }]));
  return {
    read(path, want) {
      const file = byPath.get(path);
      if (!file) return undefined;
      const wanted = want(file.size);
      if (wanted === 'none' || !file.bytes) return { size: file.size };
      return { size: file.size, bytes: wanted === 'head' ? file.bytes.subarray(0, HEAD_BYTES) : file.bytes };
    },
  };
}

const log = (level: keyof Logger) => (message: string) => post({ type: 'log', level, message: String(message) });
const files = once(() => call<readonly string[]>('files'));
// Bytes arrive as a plain Uint8Array; a Buffer over the same memory behaves as it does on the scan's thread.
const asBuffer = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : undefined);
const readFile = async (path: string) => asBuffer(await call<Uint8Array | undefined>('readFile', path));
const exclude = data.exclude.length > 0 ? picomatch([...data.exclude], { dot: true }) : () => false;

const context: DetectorContext<unknown, unknown> = {
  root: data.root,
  runsDir: data.runsDir,
  scope: data.scope,
  ...(data.changes ? { changes: new Map(data.changes) } : {}),
  git: { root: data.root, run: (args, options) => call('git.run', args, options), repoState: async () => data.repo },
  repo: data.repo,
  clock: data.fixedNow === undefined ? systemClock : fixedClock(new Date(data.fixedNow)),
  logger: { info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug'), success: log('success') },
  env: data.env,
  options: data.options,
  checks: data.checks,
  protectedPaths: data.protectedPaths,
  cache: {
    read: (key) => (data.cache?.key === key ? data.cache.value : undefined),
    write: (key, value) => call('cache.write', key, value),
  },
  files,
  excluded: (path) => exclude(path),
  // The plugin's inspector reads here, in its own pass over the files it selects.
  inspected: once(async () => {
    const { inspect } = await detector;
    if (!inspect) return [];
    const source = data.scope === 'full' ? workingTreeSource(data.root) : changedSource(await call<ChangedFile[]>('changedFiles'));
    const found = await inspectFiles(await files(), [{ id: data.detectorId, inspector: inspect, options: data.options }], source);
    return found.get(data.detectorId) ?? [];
  }),
  stat: (path) => call<FileInfo | undefined>('stat', path),
  readFile,
  readText: async (path) => {
    const bytes = await readFile(path);
    return bytes ? decodeUtf8(bytes) : undefined;
  },
  status: () => call('status'),
  runCheck: (check) => call('runCheck', check),
  note: (message) => post({ type: 'note', message: String(message) }),
};

async function run(phase: PluginPhase): Promise<void> {
  try {
    const loaded = await detector;
    const value = phase === 'isEnabled' ? await (loaded.isEnabled ? loaded.isEnabled(context) : true) : await loaded.detect(context);
    try {
      post({ type: 'done', phase, value });
    } catch (error) {
      throw new Error(`${phase}() returned a value that cannot be passed on (${(error as Error).message})`);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    post({ type: 'threw', phase, message, ...(error instanceof Error && error.stack ? { stack: error.stack } : {}) });
  }
}

port.on('message', (message: ToThread) => {
  if (message.type === 'run') {
    void run(message.phase);
    return;
  }
  const pending = waiting.get(message.id);
  if (!pending) return;
  waiting.delete(message.id);
  if (message.ok) pending.resolve(message.value);
  else pending.reject(new Error(message.message));
});
