import { rerunCheckBehindGap } from '../lib/autopilot/rerun-check.ts';
import { defineAction } from '../lib/registry/types.ts';
import { redact } from '../lib/runner/redact.ts';

/**
 * Re-runs the check behind a doc_drift gap and keeps its output (up to 64 KiB per stream,
 * secrets redacted) in `logs/<check id>.log` of the run directory: the report only has
 * 500-character excerpts, a human fixing the drift wants the whole message.
 */
export default defineAction({
  id: 'capture_check_log',
  title: 'Capture the check output',
  description: 'Re-runs the documentation check and saves its output under logs/ in the run directory',
  action_types: ['verify'],
  effects: ['run_local_write'],
  verifies: ['doc_drift'],
  async run(ctx, action) {
    const rerun = await rerunCheckBehindGap(ctx, action);
    if (rerun.done) return rerun.outcome;
    const { check, result, resolved } = rerun;
    const file = `logs/${check.id.replace(/[^A-Za-z0-9._-]/g, '_')}.log`;
    const log = [
      `$ ${result.command}`,
      `exit ${result.exit_code}${result.timed_out ? ' (timed out)' : ''}${result.error ? `: ${result.error}` : ''}`,
      `--- stdout (${result.stdout_bytes} bytes${result.stdout_truncated ? ', cut at 64 KiB' : ''}) ---`,
      redact(result.stdout),
      `--- stderr (${result.stderr_bytes} bytes${result.stderr_truncated ? ', cut at 64 KiB' : ''}) ---`,
      redact(result.stderr),
      '',
    ].join('\n');
    await ctx.writeRunFile(file, log);
    return { success: true, verdict: resolved ? 'resolved' : 'still_present', summary: `saved ${file} (${result.command} exited ${result.exit_code})`, check: result, written: [file] };
  },
});
