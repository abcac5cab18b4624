/** What samplers know of a study's trials. */
import type { Params } from '../records';
import type { TrialState } from '../vocabulary';

/** A trial as samplers see it. */
export interface Observation {
  number: number;
  params: Params;
  state: TrialState;
  /** The final value (complete trials). */
  value: number | null;
  /** Intermediate values by step (successive-halving rungs). */
  intermediate: number[];
}
