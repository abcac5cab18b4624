/**
 * What every learner trains on and how it says it cannot: the row-major matrix of a data
 * version (after `toMatrix`) and a target, and the error whose message a person reads.
 */

/** What a trainer needs: a row-major matrix and a target. */
export interface TrainingSet {
  /** rows × features, row-major; NaN where missing. */
  x: Float64Array;
  rows: number;
  features: number;
  /** Class codes 0 … classes − 1, or values. */
  y: Float64Array;
  /** Number of classes; 0 for regression. */
  classes: number;
  /**
   * Per feature, how many categories it has (its values are their codes), or 0 for a number.
   * Absent: every feature is a number. Families that one-hot encode read it.
   */
  categories?: readonly number[];
}

export class TrainingError extends Error {
  override name = 'TrainingError';
}
