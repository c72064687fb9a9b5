/**
 * The Teams app icons, drawn in code: a speech bubble with three lines of text.
 * - colour: 192x192, the gemeente's brand colour with a white bubble;
 * - outline: 32x32, a white bubble on a transparent background (Teams requires white on transparent).
 * `node dist/src/teams/icons.js [folder]` writes color.png and outline.png (default: appPackage/) in
 * the brand colour of the municipality file (MUNICIPALITY_FILE, default Amstelveen). A gemeente may
 * replace both files with its own logo, as long as sizes and colours follow the rules above.
 */
import { writeFileSync } from 'fs';
import path from 'path';
import { loadMunicipality } from '../municipality';
import { repoRoot } from './appPackage';
import { encodePng, type Image } from './png';

type Point = [number, number];

/** The bubble in its own unit square: a rounded body, a tail at the lower left, three text lines. */
function inRoundedRect(x: number, y: number, x0: number, y0: number, x1: number, y1: number, r: number): boolean {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function inTriangle(x: number, y: number, [a, b, c]: [Point, Point, Point]): boolean {
  const side = (p: Point, q: Point) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  const d1 = side(a, b);
  const d2 = side(b, c);
  const d3 = side(c, a);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

const TAIL: [Point, Point, Point] = [
  [0.16, 0.64],
  [0.42, 0.64],
  [0.08, 0.98],
];
const LINES: [number, number, number][] = [
  // [y centre, x start, x end]
  [0.19, 0.17, 0.83],
  [0.35, 0.17, 0.83],
  [0.51, 0.17, 0.6],
];
const LINE_HALF = 0.045;

function inBubble(x: number, y: number): boolean {
  return inRoundedRect(x, y, 0, 0, 1, 0.72, 0.16) || inTriangle(x, y, TAIL);
}

function inLine(x: number, y: number): boolean {
  return LINES.some(([cy, x0, x1]) => Math.abs(y - cy) <= LINE_HALF && x >= x0 && x <= x1);
}

/** Coverage (0..1) of the bubble and of its lines for one pixel, by 4x4 supersampling. */
function coverage(px: number, py: number, size: number, box: [number, number, number, number]) {
  const [bx0, by0, bx1, by1] = box;
  let bubble = 0;
  let line = 0;
  const n = 4;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = ((px + (i + 0.5) / n) / size - bx0) / (bx1 - bx0);
      const y = ((py + (j + 0.5) / n) / size - by0) / (by1 - by0);
      if (inBubble(x, y)) {
        bubble++;
        if (inLine(x, y)) line++;
      }
    }
  }
  return { bubble: bubble / (n * n), line: line / (n * n) };
}

function hex(colour: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (!m) throw new Error(`not a colour like #00548f: ${colour}`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

/** 192x192, opaque: brand colour, white bubble, lines in the brand colour. */
export function colorIcon(brandColour: string, size = 192): Image {
  const [r, g, b] = hex(brandColour);
  const data = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = coverage(x, y, size, [0.22, 0.25, 0.78, 0.81]);
      const white = c.bubble - c.line; // share of the pixel that is white
      const i = (y * size + x) * 4;
      data[i] = Math.round(r + (255 - r) * white);
      data[i + 1] = Math.round(g + (255 - g) * white);
      data[i + 2] = Math.round(b + (255 - b) * white);
      data[i + 3] = 255;
    }
  }
  return { width: size, height: size, data };
}

/** 32x32: white only, the bubble opaque, the lines and the background transparent. */
export function outlineIcon(size = 32): Image {
  const data = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = coverage(x, y, size, [0.03, 0.06, 0.97, 1.0]);
      const i = (y * size + x) * 4;
      data[i] = data[i + 1] = data[i + 2] = 255;
      data[i + 3] = Math.round(255 * (c.bubble - c.line));
    }
  }
  return { width: size, height: size, data };
}

export function writeIcons(folder: string, brandColour: string): { color: string; outline: string } {
  const color = path.join(folder, 'color.png');
  const outline = path.join(folder, 'outline.png');
  writeFileSync(color, encodePng(colorIcon(brandColour)));
  writeFileSync(outline, encodePng(outlineIcon()));
  return { color, outline };
}

if (require.main === module) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('dotenv/config');
  const folder = path.resolve(process.argv[2] ?? path.join(repoRoot(), 'appPackage'));
  const m = loadMunicipality(process.env.MUNICIPALITY_FILE || undefined);
  const out = writeIcons(folder, m.branding.primaryColor);
  process.stdout.write(`wrote ${out.color} and ${out.outline}\n`);
}
