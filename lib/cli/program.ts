import { format } from 'node:util';
import { cac, type CAC } from 'cac';
import { packageVersion } from '../paths.ts';
import { formatsOf } from '../report/render.ts';
import { AutopackError, errorMessage, UsageError } from '../util/errors.ts';
import { escapeRunnerCommands } from '../util/runner-commands.ts';
import { COMMANDS, type CommandSpec, type Flags } from './commands.ts';
import { nearest } from './did-you-mean.ts';
import type { CliIo } from './io.ts';
import { choice, optionKey, optionName, parseOptions, takesValue, type OptionSpec } from './options.ts';

const MULTI_WORD = new Set(COMMANDS.filter((c) => c.name.includes(' ')).map((c) => c.name));
const GROUPS = new Set([...MULTI_WORD].map((name) => name.split(' ')[0]!));
const GLOBAL_FLAGS = ['--debug', '--help', '--version'];

/** A command's options, with `--format` (its choices from the reporters of its output) added. */
export function optionsOf(spec: CommandSpec): OptionSpec[] {
  if (!spec.output) return spec.options;
  const formats = formatsOf(spec.output.kind);
  return [...spec.options, choice('--format <format>', `Output format: ${formats.join(', ')} (default: ${spec.output.default})`, formats)];
}

/**
 * Every value given for a `<value>` option, exactly as typed: cac (through mri) turns
 * `--run-id 007` into the number 7, so the strings are recovered from argv.
 */
function rawValues(argv: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === `--${name}`) values.push(i + 1 < argv.length && !argv[i + 1]!.startsWith('--') ? argv[++i]! : '');
    else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3));
  }
  return values;
}

/** The last of `--name` / `--no-name` given, or undefined when neither was. */
function switchValue(argv: readonly string[], name: string): boolean | undefined {
  let value: boolean | undefined;
  for (const arg of argv) {
    if (arg === '--') break;
    if (arg === `--${name}`) value = true;
    else if (arg === `--no-${name}`) value = false;
  }
  return value;
}

function rawFlags(specs: readonly OptionSpec[], argv: readonly string[]): Flags {
  const raw: Flags = {};
  for (const spec of specs) {
    const name = optionName(spec);
    if (takesValue(spec)) {
      const values = rawValues(argv, name);
      if (values.length > 0) raw[optionKey(spec)] = values.length === 1 ? values[0] : values;
    } else {
      const value = switchValue(argv, name);
      if (value !== undefined) raw[optionKey(spec)] = value;
    }
  }
  return raw;
}

/**
 * The cac program: every command, or only `only` when argv names it (its run and its help need no
 * other; registering all twenty costs a short command a few milliseconds at start).
 */
export function buildProgram(io: CliIo, onRun: (promise: Promise<number>) => void, only?: CommandSpec): CAC {
  const cli = cac('autopack');
  cli.option('--debug', 'Show stack traces and debug logs');
  cli.option('--version', 'Print the version');
  for (const spec of only ? [only] : COMMANDS) {
    const command = cli.command(spec.args ? `${spec.name} ${spec.args}` : spec.name, spec.description);
    const specs = optionsOf(spec);
    // `--no-x` needs no registration of its own: cac reads it as `--x` set to false, and would
    // print a confusing "(default: true)" for it. Its twin's description names it.
    for (const option of specs) if (!option.flag.startsWith('--no-')) command.option(option.flag, option.description);
    for (const example of spec.examples ?? []) command.example(example);
    command.action((...params: unknown[]) => {
      const options = params.pop() as { '--'?: unknown[] };
      // Words after `--` are arguments whatever they look like (`--files -- -notes.md`): cac sets them apart.
      const rest = (options['--'] ?? []).map(String);
      if (rest.length > 0 && !spec.args) throw new UsageError(`Unused args: \`${rest.join(' ')}\``);
      const args = [...params.flat(), ...rest].filter((arg): arg is string | number => arg !== undefined).map(String);
      const flags = parseOptions(specs, rawFlags(specs, cli.rawArgs));
      if (spec.output && flags.format === undefined) flags.format = spec.output.default;
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
  } else {
    lines.push(`autopack: unexpected error: ${errorMessage(error)}`);
    if (!io.debug) lines.push('hint: re-run with --debug for the stack trace');
  }
  if (io.debug && error instanceof Error && error.stack) lines.push(error.stack);
  io.stderr.write(`${escapeRunnerCommands(lines.join('\n'))}\n`);
}

const suggestion = (candidate: string | undefined) => (candidate ? `did you mean \`${candidate}\`? ` : '');

/** An unknown or incomplete command, with the nearest real one. */
function unknownCommand(words: readonly string[]): UsageError {
  const [first = '', second] = words;
  if (GROUPS.has(first) && second === undefined) {
    const subcommands = [...MULTI_WORD].filter((name) => name.startsWith(`${first} `));
    return new UsageError(`'${first}' needs a subcommand: ${subcommands.join(', ')}`, 'run `autopack --help` for the list of commands');
  }
  const typed = words.slice(0, GROUPS.has(first) ? 2 : 1).join(' ');
  const names = COMMANDS.map((command) => command.name);
  const candidates = GROUPS.has(first) ? names.filter((name) => name.startsWith(`${first} `)) : names;
  return new UsageError(`Unknown command '${typed}'`, `${suggestion(nearest(typed, candidates))}run \`autopack --help\` for the list of commands`);
}

/** cac's "Unknown option `--wrkers`", with the nearest option of the command. */
function unknownOption(error: unknown, spec: CommandSpec | undefined): unknown {
  const match = /^Unknown option `(-{1,2}[^`]+)`/.exec(errorMessage(error));
  if (!match) return new UsageError(errorMessage(error));
  const typed = match[1]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const known = [...(spec ? optionsOf(spec).map((option) => `--${optionName(option)}`) : []), ...GLOBAL_FLAGS];
  const help = spec ? `run \`autopack ${spec.name} --help\` for its options` : 'run `autopack --help` for usage';
  return new UsageError(`Unknown option \`${typed}\``, `${suggestion(nearest(typed, known))}${help}`);
}

/**
 * cac prints help with console.info; help is what `--help` asked for, so it goes to the machine
 * output (bin sends any other stdout write to stderr).
 */
function withHelpOnStdout<T>(io: CliIo, run: () => T): T {
  const original = console.info;
  console.info = (...parts: unknown[]) => io.stdout(`${format(...parts)}\n`);
  try {
    return run();
  } finally {
    console.info = original;
  }
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
  const words = args.filter((arg) => !arg.startsWith('-'));
  const spec = COMMANDS.find((command) => command.name === args[0]);
  if (!spec && !args[0]!.startsWith('-')) {
    printError(cliIo, unknownCommand(words));
    return 2;
  }
  let running: Promise<number> | undefined;
  try {
    const cli = buildProgram(cliIo, (promise) => {
      running = promise;
    }, spec);
    const parsed = withHelpOnStdout(io, () => cli.parse(['node', 'autopack', ...args], { run: false }));
    // cac has printed the help (of the command, or the overview) already.
    if (parsed.options.help || parsed.options.h) return 0;
    if (!cli.matchedCommand) {
      printError(cliIo, unknownCommand(words));
      return 2;
    }
    try {
      cli.runMatchedCommand();
    } catch (error) {
      throw (error as { name?: string })?.name === 'CACError' ? unknownOption(error, spec) : error;
    }
    return await (running ?? Promise.resolve(0));
  } catch (error) {
    printError(cliIo, error);
    return error instanceof AutopackError ? error.exitCode : 2;
  }
}
