import { crc32, deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A true-colour PNG with alpha, each pixel from `paint`: images for tests and the demo clinic's logo, made here rather than fetched. */
export function pngImage(width: number, height: number, paint: (x: number, y: number) => Rgba): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) rows.set(paint(x, y), y * (width * 4 + 1) + 1 + x * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const TEAL: Rgba = [14, 116, 144, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const RIVER: Rgba = [56, 189, 248, 255];
const CLEAR: Rgba = [255, 255, 255, 0];

/**
 * Riverside Family Clinic's logo (demo/06_letterhead.sql holds its bytes): a teal disc with a
 * white cross over two river waves. 96 × 96, drawn from shapes.
 */
export function riversideLogo(): Buffer {
  const size = 96;
  const centre = size / 2 - 0.5;
  return pngImage(size, size, (x, y) => {
    const distance = Math.hypot(x - centre, y - centre);
    if (distance > size / 2 - 1) return CLEAR;
    const wave = (base: number) => Math.abs(y - (base + 3 * Math.sin((x / size) * 4 * Math.PI))) < 2.5;
    if (y > 62 && (wave(68) || wave(78))) return RIVER;
    const arm = (a: number, b: number) => Math.abs(a - centre) <= 7 && b >= 16 && b <= 58;
    if (arm(x, y + 11) || (Math.abs(y - 26) <= 7 && x >= 27 && x <= 68)) return WHITE;
    return TEAL;
  });
}
