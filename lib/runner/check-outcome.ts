/** pytest's exit codes: 5 = nothing collected (a pass here), 2–4 = it could not run properly. */
export function isPytest(argv: readonly string[]): boolean {
  const program = argv[0]?.split('/').pop() ?? '';
  return program === 'pytest' || program === 'py.test' || (argv[1] === '-m' && argv[2] === 'pytest');
}

/** Outcome of a check run: pass, drift (it ran and failed) or an environment error (it could not run). */
export function checkOutcome(argv: readonly string[], result: { exit_code: number; timed_out: boolean }): 'pass' | 'drift' | 'error' {
  if (result.exit_code === -1 || result.timed_out) return 'error';
  if (isPytest(argv)) {
    if (result.exit_code === 0 || result.exit_code === 5) return 'pass';
    if (result.exit_code >= 2 && result.exit_code <= 4) return 'error';
    return 'drift';
  }
  return result.exit_code === 0 ? 'pass' : 'drift';
}
