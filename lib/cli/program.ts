import { cac, type CAC } from 'cac';
import { packageVersion } from '../paths.ts';
import { AutopackError, errorMessage } from '../util/errors.ts';
import { rawOptionValue } from './flags.ts';
import type { CliIo } from './io.ts';
import { COMMANDS, type CommandSpec, type Flags } from './commands.ts';

const MULTI_WORD = new Set(COMMANDS.filter((c) => c.name.includes(' ')).map((c) => c.name));
const GROUPS = new Set([...MULTI_WORD].map((name) => name.split(' ')[0]!));

/** Value-taking option names of a command, for recovering raw strings from argv. */
function valueOptions(spec: CommandSpec): Array<{ key: string; names: string[] }> {
  return spec.options
    .filter(([raw]) => raw.includes('<'))
    .map(([raw]) => {
      const names = raw.split(/[ ,]+/).filter((part) => part.startsWith('-')).map((part) => part.replace(/^-+/, ''));
      const key = names[0]!.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      return { key, names };
    });
}

export function buildProgram(io: CliIo, onRun: (promise: Promise<number>) => void): CAC {
  const cli = cac('autopack');
  cli.option('--debug', 'Show stack traces and debug logs');
  for (const spec of COMMANDS) {
    const command = cli.command(spec.args ? `${spec.name} ${spec.args}` : spec.name, spec.description);
    for (const [raw, description] of spec.options) command.option(raw, description);
    for (const example of spec.examples ?? []) command.example(example);
    command.action((...params: unknown[]) => {
      const flags = params.pop() as Flags;
      const args = params.flat().filter((arg): arg is string | number => arg !== undefined).map(String);
      for (const { key, names } of valueOptions(spec)) {
        const raw = rawOptionValue(cli.rawArgs, names);
        if (raw !== undefined && !Array.isArray(flags[key])) flags[key] = raw;
      }
      onRun(spec.load().then((run) => run(args, flags, io)));
    });
  }
  cli.help();
  return cli;
}

/** `gaps scan` arrives as two argv words; cac matches one, so the pair is joined. */
function joinCommandWords(args: string[]): string[] {
  if (args.length >= 2 && MULTI_WORD.has(`${args[0]} ${args[1]}`)) return [`${args[0]} ${args[1]}`, ...args.slice(2)];
  return args;
}

function printError(io: CliIo, error: unknown): void {
  const lines: string[] = [];
  if (error instanceof AutopackError) {
    lines.push(`autopack: ${error.message}`, ...error.extraLines);
    if (error.hint) lines.push(`hint: ${error.hint}`);
  } else if ((error as { name?: string })?.name === 'CACError') {
    lines.push(`autopack: ${errorMessage(error)}`, 'hint: run `autopack --help` for usage');
  } else {
    lines.push(`autopack: unexpected error: ${errorMessage(error)}`);
    if (!io.debug) lines.push('hint: re-run with --debug for the stack trace');
  }
  if (io.debug && error instanceof Error && error.stack) lines.push(error.stack);
  io.stderr.write(`${lines.join('\n')}\n`);
}

/** Runs the CLI on argv (without node and script) and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = joinCommandWords([...argv]);
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  const debug = args.includes('--debug');
  const cliIo: CliIo = { ...io, debug: io.debug || debug };
  if (args.length === 0) args.push('--help');
  if (args.length >= 1 && GROUPS.has(args[0]!) && !MULTI_WORD.has(args[0]!)) {
    const subcommands = [...MULTI_WORD].filter((name) => name.startsWith(`${args[0]} `)).join(', ');
    printError(cliIo, new AutopackError(`'${args[0]}' needs a subcommand: ${subcommands}`));
    return 2;
  }
  let running: Promise<number> | undefined;
  try {
    const cli = buildProgram(cliIo, (promise) => {
      running = promise;
    });
    const parsed = cli.parse(['node', 'autopack', ...args], { run: false });
    // cac has printed the help (of the command, or the overview) already.
    if (parsed.options.help || parsed.options.h) return 0;
    if (!cli.matchedCommand) {
      printError(cliIo, new AutopackError(`Unknown command '${args.filter((a) => !a.startsWith('-')).join(' ')}'`, { hint: 'run `autopack --help` for the list of commands' }));
      return 2;
    }
    cli.runMatchedCommand();
    return await (running ?? Promise.resolve(0));
  } catch (error) {
    printError(cliIo, error);
    return error instanceof AutopackError ? error.exitCode : 2;
  }
}
