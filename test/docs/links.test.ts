/**
 * The README a new user reads: at most 200 lines, and every link in it and in docs/ stays inside
 * the repository and lands (the file exists, and so does the heading an anchor names).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT } from '../support/livewall';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The markdown links outside code blocks and code spans. */
export function links(markdown: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const text = line.replace(/`[^`]*`/g, '');
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) out.push(m[1] ?? '');
  }
  return out;
}

function headings(markdown: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    else if (!fenced && /^#{1,6} /.test(line)) out.add(slug(line.replace(/^#+ /, '')));
  }
  return out;
}

const FILES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe('the README and docs/', () => {
  test('README.md has at most 200 lines', () => {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(200);
  });

  test.each(FILES)('every link in %s resolves inside the repository', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const problems: string[] = [];
    for (const link of links(text)) {
      if (/^[a-z]+:/i.test(link)) {
        problems.push(`${link} leaves the repository`);
        continue;
      }
      const [path = '', anchor] = link.split('#');
      const target = path ? resolve(dirname(join(ROOT, file)), path) : join(ROOT, file);
      if (relative(ROOT, target).startsWith('..')) {
        problems.push(`${link} leaves the repository`);
        continue;
      }
      if (!existsSync(target)) {
        problems.push(`${link}: no such file`);
        continue;
      }
      if (anchor && !headings(readFileSync(target, 'utf8')).has(anchor)) {
        problems.push(`${link}: no such heading in ${relative(ROOT, target)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('the link checker reads links and anchors as GitHub does', () => {
    expect(links('[a](x.md) `[b](y.md)`\n```\n[c](z.md)\n```\n[d](w.md#h)')).toEqual([
      'x.md',
      'w.md#h',
    ]);
    expect(slug('Contract 2 — metric record on `metric_ds`')).toBe(
      'contract-2--metric-record-on-metric_ds',
    );
    expect(slug("The web server's security")).toBe('the-web-servers-security');
    expect(slug('See the real pipeline: `livewall up`')).toBe('see-the-real-pipeline-livewall-up');
  });
});
