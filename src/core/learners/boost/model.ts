/** The settings and the fitted model of the gradient-boosted trees family. */
import type { CompactTree } from '../forest/compact';

export type BoostParams = {
  rounds: number;
  learningRate: number;
  maxLeaves: number;
  /** null: unlimited. */
  maxDepth: number | null;
  minSamplesLeaf: number;
  l2: number;
  /** Share of the rows each round trains on (1: all). */
  subsample: number;
  /** Share of the features each tree may use (1: all). */
  featureFraction: number;
  earlyStopping: 'auto' | 'yes' | 'no';
  validationFraction: number;
  patience: number;
};

export interface Boosted {
  /** Classes (0 for regression); 2 classes keep one tree per round. */
  classes: number;
  /** Starting raw score per output (1 for regression and two classes). */
  base: number[];
  /** Trees round by round; within a round one per output. */
  trees: CompactTree[];
  /** Loss after each round on the rows trained on, and on the validation rows (or null). */
  loss: { train: number[]; validation: number[] | null; validationRows: number };
}
