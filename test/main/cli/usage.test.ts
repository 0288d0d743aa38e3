/** The flag tables: suggestions for a mistyped name, parse errors as sentences, help from the table. */
import { describe, expect, test } from 'vitest';
import {
  closest,
  commandHelp,
  editDistance,
  parseCommand,
  type CommandSpec,
} from '../../../src/main/cli/usage';

const SPEC = {
  name: 'demo',
  brief: 'a demo',
  summary: 'A demo command.',
  positionals: '<thing>',
  flags: {
    limit: { type: 'string', value: 'N', default: '10', config: 'demo.limit', help: 'how many' },
    raw: { type: 'boolean', help: 'as stored' },
    tag: { type: 'string', multiple: true, value: 'T', help: 'a tag' },
  },
  env: [['DEMO_TOKEN', 'the token']],
  examples: ['livewall demo x --limit 3'],
} as const satisfies CommandSpec;

describe('closest', () => {
  test.each([
    ['lmit', 'limit'],
    ['lim', 'limit'],
    ['limits', 'limit'],
    ['rwa', 'raw'],
    ['endpont', 'endpoint'],
    ['zzzzzz', null],
  ])('%s → %s', (typed, expected) => {
    expect(closest(typed, ['limit', 'raw', 'tag', 'endpoint'])).toBe(expected);
  });

  test('edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('parseCommand', () => {
  test('values typed by the table', () => {
    const { values, positionals } = parseCommand(SPEC, [
      'x',
      '--limit',
      '3',
      '--tag',
      'a',
      '--tag',
      'b',
      '--raw',
    ]);
    expect(values).toEqual({ limit: '3', tag: ['a', 'b'], raw: true });
    expect(positionals).toEqual(['x']);
  });

  test.each([
    [['--lmit', '3'], 'unknown option --lmit: did you mean --limit?'],
    [['--nothing-like-it'], 'unknown option --nothing-like-it'],
    [['--raw=yes'], '--raw takes no value'],
    [['--limit'], '--limit needs a value (N)'],
    [
      ['--limit', '-3'],
      '--limit needs a value (N) (write a value that starts with "-" as --limit=-1)',
    ],
  ])('%j → %s', (args, message) => {
    expect(() => parseCommand(SPEC, args)).toThrow(message);
  });

  test('a command without positionals refuses a stray word', () => {
    const { positionals: _, ...noArgs } = SPEC;
    expect(() => parseCommand(noArgs, ['stray'])).toThrow('demo takes no argument "stray"');
  });
});

test('the help is the table: every flag with its value, default and config key', () => {
  const help = commandHelp(SPEC);
  expect(help).toMatch(/^Usage: livewall demo <thing> \[options\]\n\nA demo command\.\n/);
  expect(help).toMatch(/--limit N +how many \(default 10; config demo\.limit\)/);
  expect(help).toMatch(/--raw +as stored\n/);
  expect(help).toMatch(/--tag T … +a tag/);
  expect(help).toMatch(/Environment:\n {2}DEMO_TOKEN +the token/);
  expect(help).toMatch(/Example:\n {2}livewall demo x --limit 3\n$/);
  for (const name of Object.keys(SPEC.flags)) expect(help).toContain(`--${name}`);
});
