/**
 * One table per command: its flags (with the value they take, their default and the config key
 * they override), the environment it reads and an example. The parser and `--help` are both read
 * from that table, so the help cannot drift from what the command accepts.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors';

export interface Flag {
  type: 'string' | 'boolean';
  multiple?: true;
  /** The value's placeholder in the help, e.g. `N` or `URL`. */
  value?: string;
  /** The default, as the help shows it. */
  default?: string;
  /** The config file's key this flag overrides, e.g. `web.port`. */
  config?: string;
  help: string;
}

export type Flags = Readonly<Record<string, Flag>>;

export interface CommandSpec<F extends Flags = Flags> {
  name: string;
  /** A few words for the list of commands. */
  brief: string;
  /** What the command does, as the top of its help. */
  summary: string;
  /** Positional arguments as the synopsis shows them, e.g. `<stream>`; none when absent. */
  positionals?: string;
  flags: F;
  /** The environment variables the command reads, with what for. */
  env: readonly (readonly [string, string])[];
  examples: readonly string[];
  /** Paragraphs printed after the flags (exit codes, notes). */
  notes?: readonly string[];
}

/** What parseArgs returns for a flag table: strings, string lists and booleans, each optional. */
export type Values<F extends Flags> = {
  [K in keyof F]?: F[K]['type'] extends 'boolean'
    ? boolean
    : F[K]['multiple'] extends true
      ? string[]
      : string;
};

/** The flags, in parseArgs' own form. */
export function parserOptions(
  flags: Flags,
): Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> {
  const out: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const [name, f] of Object.entries(flags)) {
    out[name] = f.multiple ? { type: f.type, multiple: true } : { type: f.type };
  }
  return out;
}

/** Edit distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/**
 * The known name closest to `typed`, or null when none is close enough to be what was meant.
 * A prefix counts as close (`--lim` → `--limit`), so does a third of the letters wrong.
 */
export function closest(typed: string, known: readonly string[]): string | null {
  let best: { name: string; d: number } | null = null;
  for (const name of known) {
    const d = name.startsWith(typed) && typed.length >= 2 ? 0.5 : editDistance(typed, name);
    if (!best || d < best.d) best = { name, d };
  }
  if (!best) return null;
  return best.d <= Math.max(2, Math.floor(typed.length / 3)) ? best.name : null;
}

/** parseArgs over the command's table, its errors turned into sentences with a suggestion. */
export function parseCommand<F extends Flags>(
  spec: CommandSpec<F>,
  args: string[],
): { values: Values<F>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: parserOptions(spec.flags),
      allowPositionals: spec.positionals !== undefined,
      strict: true,
    });
    return { values: values as Values<F>, positionals };
  } catch (err) {
    throw new UsageError(parseProblem(spec, err), { cause: err });
  }
}

function parseProblem(spec: CommandSpec, err: unknown): string {
  const code = (err as { code?: string }).code ?? '';
  const message = (err as Error).message;
  const option = /'(-[^']*)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const name = option.replace(/^-+/, '').replace(/=.*$/, '');
    const near = closest(name, Object.keys(spec.flags));
    return `unknown option ${option}${near ? `: did you mean --${near}?` : ''}`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const word = /'([^']*)'/.exec(message)?.[1] ?? '';
    return `${spec.name} takes no argument "${word}" (its options start with --)`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    const name = option.replace(/^-+/, '').split(/[ =]/)[0] ?? '';
    const flag = spec.flags[name];
    if (flag?.type === 'boolean') return `--${name} takes no value`;
    // A value that starts with "-" reads as another option to node's parser.
    const dash = /ambiguous/.test(message)
      ? ` (write a value that starts with "-" as --${name}=-1)`
      : '';
    return `--${name} needs a value${flag?.value ? ` (${flag.value})` : ''}${dash}`;
  }
  return message;
}

/** A paragraph in lines of at most `width` characters (a longer word stands alone). */
export function wrap(text: string, width = 100): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

const column = (rows: readonly (readonly [string, string])[]): string[] => {
  const width = Math.min(28, Math.max(...rows.map(([l]) => l.length)) + 2);
  return rows.map(([left, right]) =>
    left.length + 2 > width
      ? `  ${left}\n  ${' '.repeat(width)}${right}`
      : `  ${left.padEnd(width)}${right}`,
  );
};

/** `livewall <command> --help`. */
export function commandHelp(spec: CommandSpec, shared: readonly [string, Flags][] = []): string {
  const own = new Set(shared.flatMap(([, f]) => Object.keys(f)));
  const ownFlags = Object.entries(spec.flags).filter(([name]) => !own.has(name));
  const lines = [
    `Usage: livewall ${spec.name}${spec.positionals ? ` ${spec.positionals}` : ''} [options]`,
    '',
    ...wrap(spec.summary),
  ];
  const section = (title: string, flags: [string, Flag][]): void => {
    if (flags.length === 0) return;
    lines.push('', `${title}:`);
    lines.push(
      ...column(
        flags.map(([name, f]) => {
          const extra = [
            f.default !== undefined ? `default ${f.default}` : '',
            f.config ? `config ${f.config}` : '',
          ]
            .filter(Boolean)
            .join('; ');
          return [
            `--${name}${f.type === 'string' ? ` ${f.value ?? 'VALUE'}` : ''}${f.multiple ? ' …' : ''}`,
            `${f.help}${extra ? ` (${extra})` : ''}`,
          ] as const;
        }),
      ),
    );
  };
  section('Options', ownFlags);
  for (const [title, flags] of shared) {
    section(
      title,
      Object.entries(flags).filter(([name]) => name in spec.flags),
    );
  }
  if (spec.env.length > 0) lines.push('', 'Environment:', ...column(spec.env));
  for (const note of spec.notes ?? []) lines.push('', ...wrap(note));
  lines.push('', spec.examples.length > 1 ? 'Examples:' : 'Example:');
  lines.push(...spec.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}
