/**
 * Makes the screen's bundled font: Noto Sans SC (SIL Open Font License, from @fontsource), cut
 * down to the characters the wall shows — every catalogue string in every language, the demo
 * cities and the common Chinese cities, ASCII and the punctuation in use. The full CJK font is
 * 1.1 MB a weight; the subset is a few dozen KB, committed in src/renderer/src/assets/fonts/.
 *
 *   npx tsx --tsconfig tsconfig.node.json src/renderer/scripts/subsetFonts.ts
 *
 * The two packages are installed into a temporary folder (not the repo's dependencies: the
 * font package alone is 76 MB). Run it again after adding words to the catalogue.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HEALTH_WORDS_SAMPLES } from '../../shared/healthWords';
import { DEMO_CITIES } from '../../shared/demoCities';
import { CATALOGUES } from '../src/i18n/catalogues';
import { COMMON_CITIES } from './commonCities';

const FONT_PACKAGE = '@fontsource/noto-sans-sc@5.3.0';
const SUBSET_PACKAGE = 'subset-font@2.9.0';
const WEIGHTS = [400, 700] as const;
const OUT = resolve(__dirname, '../src/assets/fonts');

const HEALTH_WORDS_FN = new Set<unknown>(Object.values(CATALOGUES).map((m) => m.health.words));

/** Every string a catalogue can produce: strings as they are, functions called with digits. */
function catalogueText(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'function' && HEALTH_WORDS_FN.has(value)) {
    // A health check's code and numbers: one sentence per code.
    for (const w of HEALTH_WORDS_SAMPLES) {
      const r = (value as (w: unknown) => unknown)(w);
      if (typeof r === 'string') out.push(r);
    }
  } else if (typeof value === 'function') {
    const f = value as (...args: unknown[]) => unknown;
    // Dates take parts; the others take formatted numbers and a flag.
    for (let weekday = 0; weekday < 7; weekday++) {
      for (let month = 1; month <= 12; month++) {
        if (f.length === 1) {
          const r = f({ year: 2026, month, day: 29, weekday });
          if (typeof r === 'string') out.push(r);
        }
      }
    }
    for (const one of [true, false]) {
      const r = f('0', '1', one);
      if (typeof r === 'string') out.push(r);
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) catalogueText(v, out);
  }
}

function screenCharacters(): string {
  const parts: string[] = [];
  for (const m of Object.values(CATALOGUES)) catalogueText(m, parts);
  parts.push(...DEMO_CITIES, ...COMMON_CITIES);
  // ASCII, and the punctuation numbers and sentences use.
  for (let c = 0x20; c < 0x7f; c++) parts.push(String.fromCharCode(c));
  parts.push('¥·—–…‘’“”，。：；（）、？！％✕✓✗ ');
  // What Intl writes for zh-CN compact numbers on the axes.
  parts.push('万亿');
  return [...new Set(parts.join(''))].sort().join('');
}

async function main(): Promise<void> {
  const tools = mkdtempSync(join(tmpdir(), 'livewall-fonts-'));
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefix', tools, FONT_PACKAGE, SUBSET_PACKAGE],
    {
      stdio: 'inherit',
    },
  );
  const req = createRequire(join(tools, 'package.json'));
  const subsetFont = req('subset-font') as (
    font: Buffer,
    text: string,
    options: { targetFormat: 'woff2' },
  ) => Promise<Buffer>;
  const files = join(tools, 'node_modules/@fontsource/noto-sans-sc/files');
  const text = screenCharacters();
  mkdirSync(OUT, { recursive: true });
  for (const weight of WEIGHTS) {
    // The CJK slice and the Latin slice are separate files upstream; one subset each, one face.
    const cjk = await subsetFont(
      readFileSync(join(files, `noto-sans-sc-chinese-simplified-${weight}-normal.woff2`)),
      text,
      { targetFormat: 'woff2' },
    );
    const latin = await subsetFont(
      readFileSync(join(files, `noto-sans-sc-latin-${weight}-normal.woff2`)),
      text,
      { targetFormat: 'woff2' },
    );
    writeFileSync(join(OUT, `noto-sans-sc-${weight}.woff2`), cjk);
    writeFileSync(join(OUT, `noto-sans-sc-latin-${weight}.woff2`), latin);
    process.stdout.write(`weight ${weight}: CJK ${cjk.length} B, Latin ${latin.length} B\n`);
  }
  writeFileSync(join(OUT, 'characters.txt'), text + '\n');
  process.stdout.write(`${[...text].length} characters → ${OUT}\n`);
}

void main();
