#!/usr/bin/env node
// The only place that touches argv, cwd, env, the exit code and signals: everything else
// lives in lib/ and gets these as explicit parameters.
import process from 'node:process';
import { runCli } from '../lib/cli/program.ts';

// stdout carries the machine result and nothing else: whatever else writes to it — a plugin's
// console.log, a library's banner — goes to stderr. Only `machineOutput` reaches the real stdout.
const machineOutput = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

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
  stdout: (text) => {
    machineOutput(text);
  },
  stderr: process.stderr,
  interrupt,
});
// Done: exit once stdout has drained, whatever a plugin or a check's stray child left running.
machineOutput('', () => process.exit(code));
