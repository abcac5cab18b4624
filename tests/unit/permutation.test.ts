import { describe, expect, it } from 'vitest';
import { learnerFor } from '../../src/core/learners/registry';
import { seededRandom } from '../../src/core/random';
import { permutationImportance } from '../../src/core/train/permutation';

/** The class is feature 0 above 50; feature 1 is noise. */
function data(rows: number) {
  const r = seededRandom(4);
  const x = new Float64Array(rows * 2);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    x[i * 2] = r() * 100;
    x[i * 2 + 1] = r() * 100;
    y[i] = x[i * 2]! > 50 ? 1 : 0;
  }
  return { x, rows, features: 2, y, classes: 2 };
}

describe('permutation importance', () => {
  for (const family of ['decision-tree', 'random-forest', 'gradient-boosting', 'baseline'])
    it(`finds the one feature a ${family} needs, on rows it did not train on`, () => {
      const set = data(600);
      const learner = learnerFor(family);
      const train = new Int32Array(400).map((_, i) => i);
      const test = new Int32Array(200).map((_, i) => 400 + i);
      const params = {
        ...learner.defaults('classification'),
        ...(family === 'random-forest' ? { nTrees: 20 } : {}),
      };
      const { fitted } = learner.fit(set, params, { seed: 1, subset: train });
      const a = permutationImportance(learner, fitted, set, test, 'accuracy', 5, 7);
      const again = permutationImportance(learner, fitted, set, test, 'accuracy', 5, 7);
      expect(again).toEqual(a);
      expect(a.rows).toBe(200);
      if (family === 'baseline') {
        // Guessing uses no feature: shuffling changes nothing.
        expect(a.drops.map((d) => d.mean)).toEqual([0, 0]);
        return;
      }
      expect(a.drops[0]!.mean).toBeGreaterThan(0.3);
      expect(Math.abs(a.drops[1]!.mean)).toBeLessThan(0.05);
      // A metric where lower is better still counts a worse score as a positive drop.
      const ll = permutationImportance(learner, fitted, set, test, 'log_loss', 3, 7);
      expect(ll.drops[0]!.mean).toBeGreaterThan(0);
    });
});
