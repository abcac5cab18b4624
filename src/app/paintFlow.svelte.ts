/**
 * Paint data: the painting being made (points, classes, axes), its undo history (one step per
 * stroke, shape or clear), and saving it as a new dataset whose first version says it was
 * painted. Nothing is stored until Save.
 */
import {
  brush,
  erase,
  MAX_POINTS,
  paintedContent,
  shape,
  type Painting,
  type Shape,
} from '../core/data/paint';
import { finish } from '../core/data/pipeline';
import { seededRandom } from '../core/random';
import type { Task } from '../core/vocabulary';
import { saveImport, type SaveResult } from '../store/datasets';
import type { Store } from '../store/db';
import type { DataLibrary } from './dataLibrary.svelte';
import { Job } from './job.svelte';

/** The most classes a painting has (the palette's colours). */
export const MAX_CLASSES = 8;
const HISTORY = 100;

function blank(task: Task): Painting {
  return {
    task,
    x: { name: 'x', low: 0, high: 10 },
    y: { name: 'y', low: 0, high: 10 },
    classes: task === 'classification' ? ['a', 'b'] : [],
    points: [],
  };
}

export class PaintFlow {
  readonly #store: Store;
  readonly #author: () => string;
  readonly #library: DataLibrary;
  readonly saving = new Job<SaveResult>();
  painting = $state<Painting>(blank('classification'));
  /** The class the brush paints. */
  current = $state(0);
  /** Points per dab, and their spread (in the axes' units). */
  count = $state(5);
  spread = $state(0.4);
  tool = $state<'brush' | 'eraser'>('brush');
  name = $state('Painted data');
  #undo: Painting[] = [];
  canUndo = $state(false);
  #random = seededRandom(Date.now() % 2 ** 31);

  constructor(store: Store, author: () => string, library: DataLibrary) {
    this.#store = store;
    this.#author = author;
    this.#library = library;
  }

  /** Keeps the painting as it is now, for Undo. */
  #remember(): void {
    this.#undo.push($state.snapshot(this.painting) as Painting);
    if (this.#undo.length > HISTORY) this.#undo.shift();
    this.canUndo = true;
    this.saving.reset();
  }

  /** Starts a stroke (one step of Undo). */
  begin(): void {
    this.#remember();
  }

  /** One dab of the brush (or the eraser) at a point of the canvas, in the axes' units. */
  dab(at: { x: number; y: number }): void {
    const p = this.painting;
    if (this.tool === 'eraser') {
      p.points = erase(p.points, at, Math.max(this.spread * 2, (p.x.high - p.x.low) / 40));
      return;
    }
    const room = MAX_POINTS - p.points.length;
    if (room <= 0) return;
    const added = brush(at, this.current, this.count, this.spread, this.#random).slice(0, room);
    p.points = [...p.points, ...added];
  }

  undo(): void {
    const last = this.#undo.pop();
    if (last) this.painting = last;
    this.canUndo = this.#undo.length > 0;
    this.saving.reset();
  }

  clear(): void {
    this.#remember();
    this.painting.points = [];
  }

  /** A seeded starting shape, in place of the points (undoable). */
  start(kind: Shape, seed: number): void {
    this.#remember();
    this.painting = shape(kind, seed);
    this.current = 0;
  }

  setTask(task: Task): void {
    if (task === this.painting.task) return;
    this.#remember();
    this.painting = blank(task);
    this.current = 0;
  }

  addClass(): void {
    const p = this.painting;
    if (p.classes.length >= MAX_CLASSES) return;
    this.#remember();
    const names = 'abcdefgh';
    p.classes = [...p.classes, names[p.classes.length] ?? `class ${p.classes.length + 1}`];
    this.current = p.classes.length - 1;
  }

  /** Saves the painting as a new dataset (its version's lineage: painted). */
  save(): Promise<SaveResult | null> {
    const painting = $state.snapshot(this.painting) as Painting;
    const name = this.name.trim() || 'Painted data';
    return this.saving.run(async () => {
      const content = paintedContent(painting);
      const built = await finish(content, {
        kind: 'paint',
        rowsAdded: content.rowCount,
        rowsRemoved: 0,
        columnsChanged: [],
        summary: `painted: ${content.rowCount} points${
          painting.task === 'classification'
            ? ` of ${painting.classes.filter((_, c) => painting.points.some((q) => q.c === c)).length} classes`
            : `, ${painting.y.name} read off the vertical axis`
        }`,
      });
      const result = await saveImport(
        this.#store,
        this.#author(),
        { name, description: 'Painted in Orpheus.', source: 'painted' },
        built,
      );
      await this.#library.refresh();
      return result;
    });
  }
}
