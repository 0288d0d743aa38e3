#!/usr/bin/env node
// Draws livewall's app icon (a dark wall with rising cyan bars and an orange "live" dot) and
// writes what electron-builder wants in resources/: icon.png (1024), icons/NxN.png for Linux
// (a ready set, so packaging needs no icon converter download) and icon.ico for Windows.
// Only Node built-ins (zlib for PNG), so anyone can re-run it: `node scripts/make-icons.mjs`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resources = join(root, 'resources');

// ---- the mark, in unit coordinates (0..1, y down) ----

const BG_TOP = [0x12, 0x2a, 0x52];
const BG_BOTTOM = [0x06, 0x10, 0x24];
const BAR = [0x22, 0xd3, 0xee];
const LIVE = [0xf9, 0x73, 0x16];

/** Inside a rounded rectangle [x0,x1]×[y0,y1] with corner radius r. */
function inRoundRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

const BARS = [
  { x: 0.2, top: 0.6 },
  { x: 0.36, top: 0.46 },
  { x: 0.52, top: 0.34 },
  { x: 0.68, top: 0.5 },
];
const BAR_WIDTH = 0.12;
const BASE = 0.78;

/** The colour [r,g,b,a] of one sample point. */
function sample(x, y) {
  if (!inRoundRect(x, y, 0.03, 0.03, 0.97, 0.97, 0.2)) return [0, 0, 0, 0];
  if ((x - 0.78) ** 2 + (y - 0.24) ** 2 <= 0.075 ** 2) return [...LIVE, 255];
  for (const bar of BARS) {
    if (inRoundRect(x, y, bar.x, bar.top, bar.x + BAR_WIDTH, BASE, 0.03)) return [...BAR, 255];
  }
  const t = y;
  return [...BG_TOP.map((c, i) => Math.round(c + (BG_BOTTOM[i] - c) * t)), 255];
}

/** RGBA pixels of the mark at size×size, 4×4 samples per pixel for smooth edges. */
function render(size) {
  const n = 4;
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const [r, g, b, a] = sample((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          // Premultiplied, so transparent samples do not darken the edge.
          acc[0] += r * a;
          acc[1] += g * a;
          acc[2] += b * a;
          acc[3] += a;
        }
      }
      const o = (py * size + px) * 4;
      const alpha = acc[3] / (n * n);
      for (let i = 0; i < 3; i++) pixels[o + i] = acc[3] ? Math.round(acc[i] / acc[3]) : 0;
      pixels[o + 3] = Math.round(alpha);
    }
  }
  return pixels;
}

// ---- PNG ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- ICO: classic BMP entries up to 48 px (every Windows tool reads them), PNG at 256 ----

function bmpEntry(size, rgba) {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // XOR bitmap + AND mask
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  const xor = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = ((size - 1 - y) * size + x) * 4; // bottom-up, BGRA
      xor[to] = rgba[from + 2];
      xor[to + 1] = rgba[from + 1];
      xor[to + 2] = rgba[from];
      xor[to + 3] = rgba[from + 3];
    }
  }
  const maskRow = Math.ceil(size / 32) * 4;
  const mask = Buffer.alloc(maskRow * size); // all zero: the alpha channel decides
  return Buffer.concat([header, xor, mask]);
}

function ico(images) {
  const dir = Buffer.alloc(6 + images.length * 16);
  dir.writeUInt16LE(1, 2);
  dir.writeUInt16LE(images.length, 4);
  let offset = dir.length;
  images.forEach(({ size, data }, i) => {
    const e = 6 + i * 16;
    dir[e] = size >= 256 ? 0 : size;
    dir[e + 1] = size >= 256 ? 0 : size;
    dir.writeUInt16LE(1, e + 4);
    dir.writeUInt16LE(32, e + 6);
    dir.writeUInt32LE(data.length, e + 8);
    dir.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([dir, ...images.map((image) => image.data)]);
}

// ---- write ----

mkdirSync(join(resources, 'icons'), { recursive: true });
const rendered = new Map();
const at = (size) => {
  if (!rendered.has(size)) rendered.set(size, render(size));
  return rendered.get(size);
};
for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
  writeFileSync(join(resources, 'icons', `${size}x${size}.png`), png(size, at(size)));
}
writeFileSync(join(resources, 'icon.png'), png(1024, at(1024)));
writeFileSync(
  join(resources, 'icon.ico'),
  ico([
    ...[16, 24, 32, 48].map((size) => ({ size, data: bmpEntry(size, at(size)) })),
    { size: 256, data: png(256, at(256)) },
  ]),
);
process.stdout.write(`livewall icons written to ${resources}\n`);
