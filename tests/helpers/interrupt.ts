// A command interrupted while its plugin runs: start the CLI, wait (by polling for a marker file
// the plugin writes, never a fixed sleep) until the plugin has started, send the signal, and
// measure how long the command takes to exit.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BIN } from './cli.ts';
import { testEnv } from './git-fixture.ts';

export async function interruptOnceStarted(args: readonly string[], cwd: string, marker: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; ms: number }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: testEnv() as NodeJS.ProcessEnv, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!existsSync(marker)) {
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the plugin never started (no ${marker})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const sent = Date.now();
  child.kill(signal);
  const code = await exited;
  return { code, ms: Date.now() - sent };
}
