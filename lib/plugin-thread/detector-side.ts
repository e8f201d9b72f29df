// A configured detector in its thread: the same context as anywhere else. Reads and stats of
// workspace files happen here, through the scan's own guarded functions; everything else that is
// not plain data (the file list, git, status, checks, cache writes) is a call the scan answers. Its inspector makes its own pass over the files
// it selects (the working tree for a full scan, the change's bytes as the scan read them for a
// partial one).
import picomatch from 'picomatch';
import { decodeUtf8, HEAD_BYTES, inspectFiles, workingTreeSource, type ByteSource } from '../gaps/file-pass.ts';
import { importPluginModule } from '../registry/import-module.ts';
import { pluginDetectorFrom } from '../registry/load.ts';
import type { DetectorContext } from '../registry/types.ts';
import { workspaceFiles } from '../gaps/workspace-files.ts';
import { validate } from '../contracts/issues.ts';
import type { ChangedFile, ChecksThreadData, DetectorFunctionResult, DetectorFunctionsThreadData, DetectorThreadData } from './protocol.ts';
import { asBuffer, call, clockOf, once, post, threadLogger } from './thread-rpc.ts';

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

function importDetector(data: DetectorThreadData | ChecksThreadData | DetectorFunctionsThreadData) {
  const detector = importPluginModule(data.plugin.specifier, data.plugin.baseDir, data.plugin.workspaceRoot, data.plugin.confineTo).then(({ module }) =>
    pluginDetectorFrom(module, data.plugin.specifier, data.detectorId),
  );
  // A plugin that fails to load is reported by the phase that awaits it, not as an unhandled rejection.
  detector.catch(() => {});
  return detector;
}

/** Runs the thread's detector's `defaultChecks`. */
export function checksRunner(data: ChecksThreadData): () => Promise<unknown> {
  const detector = importDetector(data);
  return async () => {
    const { defaultChecks } = await detector;
    return defaultChecks ? defaultChecks({ root: data.root, env: data.env, options: data.options, inHead: (paths) => call('inHead', paths) }) : [];
  };
}

/** Evaluates the batch of the detector's functions: its option schema, its remediations' command and rollback. */
export function functionsRunner(data: DetectorFunctionsThreadData): () => Promise<DetectorFunctionResult[]> {
  const detector = importDetector(data);
  return async () => {
    const loaded = await detector;
    return data.calls.map((request): DetectorFunctionResult => {
      if (request.fn === 'options') return loaded.options ? validate(loaded.options, request.raw) : { ok: true, value: request.raw };
      const spec = loaded.remediation[request.index];
      const known = new Map(request.tracked);
      const facts = { tracked: (path: string) => known.get(path) };
      const command = spec?.command?.(request.gap, facts);
      const rollback = spec?.rollback?.(request.gap, facts);
      return { ...(typeof command === 'string' ? { command } : {}), ...(typeof rollback === 'string' ? { rollback } : {}) };
    });
  };
}

/** Runs `isEnabled` or `detect` of the thread's detector. */
export function detectorRunner(data: DetectorThreadData): (phase: string) => Promise<unknown> {
  const detector = importDetector(data);
  const files = once(() => call<readonly string[]>('files'));
  // Reads and stats happen here, through the same guarded functions the scan uses: no round trip per file.
  const local = workspaceFiles(data.root);
  const readFile = async (path: string) => local.read(path);
  const exclude = data.exclude.length > 0 ? picomatch([...data.exclude], { dot: true }) : () => false;
  const context: DetectorContext<unknown, unknown> = {
    root: data.root,
    runsDir: data.runsDir,
    scope: data.scope,
    ...(data.changes ? { changes: new Map(data.changes) } : {}),
    git: { root: data.root, run: (args, options) => call('git.run', args, options), repoState: async () => data.repo },
    repo: data.repo,
    clock: clockOf(data.fixedNow),
    logger: threadLogger,
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
    inspected: once(async () => {
      const { inspect } = await detector;
      if (!inspect) return [];
      const source = data.scope === 'full' ? workingTreeSource(data.root) : changedSource(await call<ChangedFile[]>('changedFiles'));
      const found = await inspectFiles(await files(), [{ id: data.detectorId, inspector: inspect, options: data.options }], source);
      return found.get(data.detectorId) ?? [];
    }),
    stat: async (path) => local.stat(path),
    readFile,
    readText: async (path) => {
      const bytes = await readFile(path);
      return bytes ? decodeUtf8(bytes) : undefined;
    },
    status: () => call('status'),
    runCheck: (check) => call('runCheck', check),
    note: (message) => post({ type: 'note', message: String(message) }),
  };
  return async (phase) => {
    const loaded = await detector;
    if (phase === 'isEnabled') return loaded.isEnabled ? loaded.isEnabled(context) : true;
    return loaded.detect(context);
  };
}
