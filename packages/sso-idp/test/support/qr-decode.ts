/**
 * A small QR code reader for tests: takes the module grid of a clean, computer-drawn symbol (no camera noise, so no
 * error correction is needed) and returns the text it encodes. Written from ISO/IEC 18004 so the badge tests check
 * the printed code with something other than the encoder. Supports versions 1 to 10, levels L and M, and the
 * numeric, alphanumeric and byte (UTF-8) modes.
 */

// Error correction codewords per block and number of blocks, by level, for versions 1..10 (index 0 unused).
const eccPerBlock = {
  L: [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18],
  M: [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26],
} as const;
const blockCount = {
  L: [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4],
  M: [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5],
} as const;
// Format information's two level bits: L = 01, M = 00 (Q = 11, H = 10 are not supported here).
const levels: Record<number, 'L' | 'M'> = { 1: 'L', 0: 'M' };
const alphanumeric = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

const masks: ((row: number, column: number) => boolean)[] = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (_i, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i + j) % 2) + ((i * j) % 3)) % 2 === 0,
];

function alignmentCenters(version: number, size: number): number[] {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const step = Math.ceil((version * 4 + 4) / (count * 2 - 2)) * 2;
  const centers = [6];
  for (let position = size - 7; centers.length < count; position -= step) centers.splice(1, 0, position);
  return centers;
}

/** Which modules carry function patterns (finders, timing, alignment, format and version information). */
function functionModules(version: number, size: number): boolean[][] {
  const grid = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  const mark = (row: number, column: number) => {
    if (row >= 0 && row < size && column >= 0 && column < size) (grid[row] as boolean[])[column] = true;
  };
  for (const [row, column] of [
    [3, 3],
    [3, size - 4],
    [size - 4, 3],
  ] as const) {
    for (let dy = -4; dy <= 4; dy++) for (let dx = -4; dx <= 4; dx++) mark(row + dy, column + dx);
  }
  for (let index = 0; index < size; index++) {
    mark(6, index);
    mark(index, 6);
  }
  const centers = alignmentCenters(version, size);
  const last = centers.length - 1;
  centers.forEach((row, i) => {
    centers.forEach((column, j) => {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) mark(row + dy, column + dx);
    });
  });
  for (let index = 0; index <= 8; index++) {
    mark(8, index);
    mark(index, 8);
  }
  for (let index = 0; index < 8; index++) {
    mark(8, size - 1 - index);
    mark(size - 1 - index, 8);
  }
  if (version >= 7) {
    for (let index = 0; index < 18; index++) {
      mark(size - 11 + (index % 3), Math.floor(index / 3));
      mark(Math.floor(index / 3), size - 11 + (index % 3));
    }
  }
  return grid;
}

function rawDataModules(version: number): number {
  let count = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const alignments = Math.floor(version / 7) + 2;
    count -= (25 * alignments - 10) * alignments - 55;
    if (version >= 7) count -= 36;
  }
  return count;
}

/** The text of a symbol given as rows of dark (true) and light modules, without the quiet zone. */
export function decodeQr(modules: readonly (readonly boolean[])[]): string {
  const size = modules.length;
  const version = (size - 17) / 4;
  if (!Number.isInteger(version) || version < 1 || version > 10) throw new Error(`unsupported size ${size}`);
  const dark = (row: number, column: number) => modules[row]?.[column] === true;

  // Format information, first copy: 15 bits around the top-left finder, most significant first.
  let format = 0;
  const formatPositions: [number, number][] = [];
  for (let i = 0; i <= 5; i++) formatPositions.push([i, 8]);
  formatPositions.push([7, 8], [8, 8], [8, 7]);
  for (let i = 9; i < 15; i++) formatPositions.push([8, 14 - i]);
  formatPositions.forEach(([row, column], bit) => {
    if (dark(row, column)) format |= 1 << bit;
  });
  format ^= 0x5412;
  const level = levels[format >>> 13];
  if (level === undefined) throw new Error('unsupported error correction level');
  const mask = masks[(format >>> 10) & 7] as (row: number, column: number) => boolean;

  // Codeword bits, in the two-column zigzag from the bottom right, unmasked.
  const reserved = functionModules(version, size);
  const bits: number[] = [];
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let vertical = 0; vertical < size; vertical++) {
      for (let j = 0; j < 2; j++) {
        const column = right - j;
        const upward = ((right + 1) & 2) === 0;
        const row = upward ? size - 1 - vertical : vertical;
        if (reserved[row]?.[column]) continue;
        bits.push(Number(dark(row, column) !== mask(row, column)));
      }
    }
  }
  const rawCodewords = Math.floor(rawDataModules(version) / 8);
  const codewords: number[] = [];
  for (let index = 0; index < rawCodewords; index++) {
    codewords.push(bits.slice(index * 8, index * 8 + 8).reduce((byte, bit) => (byte << 1) | bit, 0));
  }

  // Undo the block interleaving; keep the data codewords.
  const blocks = blockCount[level][version] as number;
  const ecc = eccPerBlock[level][version] as number;
  const shortBlocks = blocks - (rawCodewords % blocks);
  const shortLength = Math.floor(rawCodewords / blocks);
  const split: number[][] = Array.from({ length: blocks }, () => []);
  let next = 0;
  for (let i = 0; i <= shortLength; i++) {
    for (let j = 0; j < blocks; j++) {
      if (i === shortLength - ecc && j < shortBlocks) continue;
      if (i === shortLength && j < shortBlocks) continue;
      (split[j] as number[])[i] = codewords[next++] as number;
    }
  }
  const data = split.flatMap((block, j) => block.slice(0, shortLength - ecc + (j < shortBlocks ? 0 : 1)));

  // Segments: mode indicator, character count, content; until the terminator.
  const stream = data.flatMap((byte) => [7, 6, 5, 4, 3, 2, 1, 0].map((shift) => (byte >>> shift) & 1));
  let position = 0;
  const read = (length: number) => {
    let value = 0;
    for (let index = 0; index < length; index++) value = (value << 1) | (stream[position++] ?? 0);
    return value;
  };
  const bytes: number[] = [];
  let text = '';
  const flushBytes = () => {
    text += new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
    bytes.length = 0;
  };
  while (position + 4 <= stream.length) {
    const mode = read(4);
    if (mode === 0) break;
    if (mode === 4) {
      const count = read(version < 10 ? 8 : 16);
      for (let index = 0; index < count; index++) bytes.push(read(8));
      continue;
    }
    flushBytes();
    if (mode === 1) {
      let count = read(version < 10 ? 10 : 12);
      for (; count >= 3; count -= 3) text += String(read(10)).padStart(3, '0');
      if (count === 2) text += String(read(7)).padStart(2, '0');
      if (count === 1) text += String(read(4));
    } else if (mode === 2) {
      let count = read(version < 10 ? 9 : 11);
      for (; count >= 2; count -= 2) {
        const pair = read(11);
        text += `${alphanumeric[Math.floor(pair / 45)]}${alphanumeric[pair % 45]}`;
      }
      if (count === 1) text += alphanumeric[read(6)];
    } else {
      throw new Error(`unsupported mode ${mode}`);
    }
  }
  flushBytes();
  return text;
}

/** The module grid of an SVG drawn by the `qrcode` package (stroke path rows at `y + .5`), quiet zone removed. */
export function modulesFromSvg(svg: string): boolean[][] {
  const side = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  const path = /<path stroke="[^"]+" d="([^"]+)"/.exec(svg)?.[1];
  if (!Number.isInteger(side) || path === undefined) throw new Error('not a qrcode SVG');
  const grid = Array.from({ length: side }, () => Array<boolean>(side).fill(false));
  let x = 0;
  let y = 0;
  for (const [, command, first, second] of path.matchAll(/([MmHhVv])(-?[\d.]+)(?:[ ,](-?[\d.]+))?/g)) {
    const a = Number(first);
    const b = Number(second ?? 0);
    if (command === 'M') [x, y] = [a, b];
    else if (command === 'm') [x, y] = [x + a, y + b];
    else if (command === 'h') {
      for (let step = 0; step < a; step++) (grid[Math.floor(y)] as boolean[])[x + step] = true;
      x += a;
    } else throw new Error(`unexpected path command ${command}`);
  }
  // The quiet zone is the light border around the symbol: trim rows and columns with no dark module.
  const rows = grid.map((row) => row.some(Boolean));
  const top = rows.indexOf(true);
  const bottom = rows.lastIndexOf(true);
  const columns = grid[0]?.map((_, column) => grid.some((row) => row[column])) ?? [];
  const left = columns.indexOf(true);
  return grid.slice(top, bottom + 1).map((row) => row.slice(left, left + (bottom - top + 1)));
}
