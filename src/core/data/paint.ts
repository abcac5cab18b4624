/**
 * Painted data: points on a 2-D canvas, each a class (classification) or, in regression mode,
 * a value read off the vertical axis. A brush adds points around where it is, spread at random
 * (seeded); starting shapes (two blobs, XOR, moons, circles, a noisy line) are seeded too, so a
 * lesson's data can be painted again exactly. The points become an ordinary data version.
 */
import { seededRandom } from '../random';
import type { ColumnSchema, Task } from '../vocabulary';
import { buildContent, type DatasetContent } from './content';
import { DataError } from './cells';

export interface Axis {
  name: string;
  low: number;
  high: number;
}

export interface PaintedPoint {
  x: number;
  y: number;
  /** The class's index (classification); 0 in regression. */
  c: number;
}

export interface Painting {
  task: Task;
  x: Axis;
  y: Axis;
  /** Class names (classification); in regression the vertical axis is the target. */
  classes: string[];
  points: PaintedPoint[];
}

/** More points than a class can follow on a projector; a painting stops here. */
export const MAX_POINTS = 5000;

export type Shape = 'blobs' | 'xor' | 'moons' | 'circles' | 'line';
export const SHAPES: { shape: Shape; label: string; task: Task }[] = [
  { shape: 'blobs', label: 'Two blobs', task: 'classification' },
  { shape: 'xor', label: 'XOR (four corners)', task: 'classification' },
  { shape: 'moons', label: 'Two moons', task: 'classification' },
  { shape: 'circles', label: 'A circle in a ring', task: 'classification' },
  { shape: 'line', label: 'A noisy line', task: 'regression' },
];

/** A standard normal draw (Box–Muller) from a seeded generator. */
function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Points of class `c` around (x, y): `count` of them, normally spread with σ = `spread`. */
export function brush(
  at: { x: number; y: number },
  c: number,
  count: number,
  spread: number,
  random: () => number,
): PaintedPoint[] {
  if (spread <= 0 || count <= 1) return [{ x: at.x, y: at.y, c }];
  return Array.from({ length: count }, () => ({
    x: at.x + normal(random) * spread,
    y: at.y + normal(random) * spread,
    c,
  }));
}

/** The points of a painting within `radius` of (x, y) taken away (the eraser). */
export function erase(
  points: readonly PaintedPoint[],
  at: { x: number; y: number },
  radius: number,
) {
  return points.filter((p) => (p.x - at.x) ** 2 + (p.y - at.y) ** 2 > radius * radius);
}

/** A starting shape on the unit square (x and y from 0 to 10), seeded. */
export function shape(kind: Shape, seed: number, n = 200): Painting {
  const random = seededRandom(seed);
  const noise = (s: number) => normal(random) * s;
  const points: PaintedPoint[] = [];
  const half = Math.floor(n / 2);
  const axis = (name: string): Axis => ({ name, low: 0, high: 10 });
  if (kind === 'line') {
    for (let i = 0; i < n; i++) {
      const x = random() * 10;
      points.push({ x, y: Math.min(10, Math.max(0, 1 + 0.7 * x + noise(0.8))), c: 0 });
    }
    return { task: 'regression', x: axis('x'), y: axis('y'), classes: [], points };
  }
  for (let i = 0; i < n; i++) {
    const c = i < half ? 0 : 1;
    let x: number;
    let y: number;
    if (kind === 'blobs') {
      x = (c === 0 ? 3.5 : 6.5) + noise(1);
      y = (c === 0 ? 3.5 : 6.5) + noise(1);
    } else if (kind === 'xor') {
      const right = random() < 0.5;
      const top = c === 0 ? right : !right;
      x = (right ? 7 : 3) + noise(0.9);
      y = (top ? 7 : 3) + noise(0.9);
    } else if (kind === 'moons') {
      const t = random() * Math.PI;
      x = c === 0 ? 3 + 2.5 * Math.cos(t) : 5.5 - 2.5 * Math.cos(t);
      y = c === 0 ? 4.5 + 2.5 * Math.sin(t) : 5.5 - 2.5 * Math.sin(t);
      x += noise(0.3);
      y += noise(0.3);
    } else {
      const t = random() * 2 * Math.PI;
      const r = (c === 0 ? 1.5 : 3.8) + noise(0.35);
      x = 5 + r * Math.cos(t);
      y = 5 + r * Math.sin(t);
    }
    points.push({ x: Math.min(10, Math.max(0, x)), y: Math.min(10, Math.max(0, y)), c });
  }
  return { task: 'classification', x: axis('x'), y: axis('y'), classes: ['a', 'b'], points };
}

/** Problems with a painting before it can be saved, in words (empty when it can). */
export function paintingProblems(p: Painting): string[] {
  const out: string[] = [];
  if (!p.x.name.trim() || !p.y.name.trim()) out.push('Name both axes.');
  if (p.x.name.trim() === p.y.name.trim()) out.push('The axes need different names.');
  if (p.task === 'classification' && p.classes.some((c) => !c.trim()))
    out.push('Name every class.');
  if (p.task === 'classification' && [p.x.name.trim(), p.y.name.trim()].includes('class'))
    out.push('An axis cannot be called “class”: that is the column of the classes.');
  if (
    p.task === 'classification' &&
    new Set(p.classes.map((c) => c.trim())).size < p.classes.length
  )
    out.push('Two classes have the same name.');
  if (!(p.x.low < p.x.high) || !(p.y.low < p.y.high))
    out.push('Each axis needs its low end below its high end.');
  if (p.points.length < 10) out.push('Paint at least 10 points.');
  if (p.task === 'classification' && new Set(p.points.map((q) => q.c)).size < 2)
    out.push('Paint at least two classes.');
  if (p.points.length > MAX_POINTS) out.push(`At most ${MAX_POINTS} points.`);
  return out;
}

/** A number as a cell: rounded to what a person reads off the canvas (4 significant digits). */
function cell(v: number): string {
  return String(Number(v.toPrecision(4)));
}

/**
 * The painting as a data version's content: columns x and y (by their axis names) and, for
 * classification, `class`; in regression the vertical axis is the target.
 */
export function paintedContent(p: Painting): DatasetContent {
  const problems = paintingProblems(p);
  if (problems.length > 0) throw new DataError(problems.join(' '));
  const xs = p.points.map((q) => cell(q.x));
  const ys = p.points.map((q) => cell(q.y));
  if (p.task === 'regression') {
    const schema: ColumnSchema[] = [
      { name: p.x.name.trim(), type: 'numeric', role: 'feature' },
      { name: p.y.name.trim(), type: 'numeric', role: 'target' },
    ];
    return buildContent([xs, ys], schema, 'regression', p.points.length);
  }
  const schema: ColumnSchema[] = [
    { name: p.x.name.trim(), type: 'numeric', role: 'feature' },
    { name: p.y.name.trim(), type: 'numeric', role: 'feature' },
    { name: 'class', type: 'categorical', role: 'target' },
  ];
  const labels = p.points.map((q) => p.classes[q.c]!.trim());
  return buildContent([xs, ys, labels], schema, 'classification', p.points.length);
}
