#!/usr/bin/env node
// The only place that touches argv, cwd, env, the exit code and signals: everything else
// lives in lib/ and gets these as explicit parameters.
import process from 'node:process';
import { runCli } from '../lib/cli/program.ts';

const exitOnSignal = (signal: NodeJS.Signals, code: number) => {
  process.once(signal, () => {
    // Mechanical checks run in their own process groups; take them down with us.
    void import('../lib/runner/run-check.ts')
      .then(({ killRunningChecks }) => killRunningChecks())
      .finally(() => process.exit(code));
  });
};
exitOnSignal('SIGINT', 130);
exitOnSignal('SIGTERM', 143);

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: { ...process.env },
  stdout: (text) => process.stdout.write(text),
  stderr: process.stderr,
});
process.exitCode = code;
