import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp';

const directives = (policy: string): string[] =>
  policy
    .split(';')
    .map((d) => d.trim().replace(/\s+/g, ' '))
    .filter(Boolean)
    .sort();

test("index.html's meta CSP is the web server's header policy (frame-ancestors works only as a header)", () => {
  const html = readFileSync(join(__dirname, '../../src/renderer/index.html'), 'utf8');
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
  expect(meta).toBeDefined();
  const header = directives(CONTENT_SECURITY_POLICY).filter(
    (d) => !d.startsWith('frame-ancestors'),
  );
  expect(directives(meta ?? '')).toEqual(header);
  expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
});
