// The thread one configured plugin runs in. A plugin is repository code: it may spin (a busy
// loop awaits nothing), and on the command's own thread that would stop every timer and signal
// handler. Here it can only stall this thread, which the command ends at the plugin's time
// limit or when it is interrupted.
import { workerData, parentPort } from 'node:worker_threads';
import { importPluginModule } from '../registry/import-module.ts';
import { actionRunner } from './action-side.ts';
import { checksRunner, detectorRunner, functionsRunner } from './detector-side.ts';
import type { ThreadData, ToThread } from './protocol.ts';
import { captureOutput, post, settle } from './thread-rpc.ts';

captureOutput();
const data = workerData as ThreadData;

/** Phase `n` imports the n-th configured plugin: the command learns which one never finishes loading. */
function importer(plugins: Extract<ThreadData, { kind: 'import' }>['plugins']): (phase: string) => Promise<true> {
  return async (phase) => {
    const plugin = plugins[Number(phase)]!;
    await importPluginModule(plugin.specifier, plugin.baseDir, plugin.workspaceRoot, plugin.confineTo);
    return true;
  };
}

const runners = {
  detector: () => detectorRunner(data as Extract<ThreadData, { kind: 'detector' }>),
  checks: () => checksRunner(data as Extract<ThreadData, { kind: 'checks' }>),
  functions: () => functionsRunner(data as Extract<ThreadData, { kind: 'functions' }>),
  action: () => actionRunner(data as Extract<ThreadData, { kind: 'action' }>),
  import: () => importer((data as Extract<ThreadData, { kind: 'import' }>).plugins),
};
const runner: (phase: string) => Promise<unknown> = runners[data.kind]();

async function run(phase: string): Promise<void> {
  try {
    const value = await runner(phase);
    try {
      post({ type: 'done', phase, value });
    } catch (error) {
      throw new Error(`${phase}() returned a value that cannot be passed on (${(error as Error).message})`);
    }
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    post({ type: 'threw', phase, message: failure.message, name: failure.name, ...(failure.stack ? { stack: failure.stack } : {}) });
  }
}

parentPort!.on('message', (message: ToThread) => {
  if (message.type === 'run') void run(message.phase);
  else settle(message);
});
