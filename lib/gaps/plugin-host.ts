// A configured plugin detector's thread for the length of one scan: its context calls are
// answered by the scan's own shared context (the same guarded reads, status and checks every
// detector gets).
import { pinnedTime, PluginThread } from '../plugin-thread/host.ts';
import type { ChangedFile, DetectorThreadData } from '../plugin-thread/protocol.ts';
import type { DetectorContext } from '../registry/types.ts';
import { fileListOf, type ScanPlan, type SharedScanState } from './context.ts';
import { partialByteSource } from './scope.ts';

/** Read once per scan, however many plugin inspectors ask. */
const changedFilesOf = new WeakMap<SharedScanState, Promise<ChangedFile[]>>();

/** A partial scan's changed files, whole, for a plugin inspector in its thread. */
function changedFiles(shared: SharedScanState): Promise<ChangedFile[]> {
  let files = changedFilesOf.get(shared);
  if (!files) changedFilesOf.set(shared, (files = readChangedFiles(shared)));
  return files;
}

async function readChangedFiles(shared: SharedScanState): Promise<ChangedFile[]> {
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

function threadData(shared: SharedScanState, plan: ScanPlan, context: DetectorContext<unknown, unknown>): DetectorThreadData {
  const cache = shared.cache.forDetector(plan.detector.id).stored();
  return {
    kind: 'detector',
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
    ...pinnedTime(shared.clock),
    ...(cache ? { cache } : {}),
  };
}

export function detectorThread(shared: SharedScanState, plan: ScanPlan, ctx: DetectorContext<unknown, unknown>): PluginThread {
  return new PluginThread(
    () => threadData(shared, plan, ctx),
    {
      logger: ctx.logger,
      note: (message) => ctx.note(message),
      serve(method, args) {
        const [first, second] = args as [any, any];
        switch (method) {
          case 'files':
            return ctx.files();
          case 'status':
            return ctx.status();
          case 'runCheck':
            return ctx.runCheck(first);
          case 'git.run':
            return ctx.git.run(first, second);
          case 'cache.write':
            return ctx.cache.write(String(first), second);
          case 'changedFiles':
            return changedFiles(shared);
          default:
            return Promise.reject(new Error(`no such context call: ${method}`));
        }
      },
    },
    plan.timeoutMs,
  );
}
