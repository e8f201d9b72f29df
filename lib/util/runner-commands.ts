// A CI runner reads any line of a step's output that starts (after blanks) with `::` or `##[` as a
// command (`::stop-commands::`, `::add-mask::`): a name autopack prints — a file, a config key —
// must never become one, on stdout or stderr.
const RUNNER_COMMAND = /^(\s*)(:(?=:)|#(?=#\[))/gmu;

/** The text with every line that would start a runner command escaped (`\u003a:`, `\u0023#[`). */
export function escapeRunnerCommands(text: string): string {
  return text.replace(RUNNER_COMMAND, (_, blanks: string, char: string) => `${blanks}\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}
