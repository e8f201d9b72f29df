#!/usr/bin/env node
// The only place that touches argv, cwd, env, the exit code and signals: everything else
// lives in lib/ and gets these as explicit parameters.
import process from 'node:process';
import { runCli } from '../lib/cli/program.ts';

const controller = new AbortController();
const interrupt = { signal: controller.signal, cooperative: false };

const onSignal = (signal: NodeJS.Signals) => {
  process.on(signal, () => {
    // A second interrupt, or a command that does not clean up after itself: stop now, taking
    // down the mechanical checks that run in their own process groups.
    if (controller.signal.aborted || !interrupt.cooperative) {
      void import('../lib/runner/run-check.ts')
        .then(({ killRunningChecks }) => killRunningChecks())
        .finally(() => process.exit(130));
      return;
    }
    controller.abort(signal);
  });
};
onSignal('SIGINT');
onSignal('SIGTERM');

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: { ...process.env },
  stdout: (text) => process.stdout.write(text),
  stderr: process.stderr,
  interrupt,
});
process.exitCode = code;
