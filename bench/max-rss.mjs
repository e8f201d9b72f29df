// Preloaded with `node --import` by the benchmark: reports the process's peak resident set
// size on exit, without changing autopack itself.
process.on('exit', () => {
  process.stderr.write(`\nAUTOPACK_BENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
