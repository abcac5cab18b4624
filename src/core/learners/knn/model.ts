/** What a fitted nearest-neighbours model is, shared by the learner and its ONNX export. */
import * as v from 'valibot';
import { PipelineSchema, type FittedPipeline } from '../pipeline';

export interface Neighbours {
  /** Classes (0 for regression). */
  classes: number;
  pipeline: FittedPipeline;
  k: number;
  weights: 'uniform' | 'distance';
  metric: 'euclidean' | 'manhattan';
  /** The training rows through the pipeline, rows × width, row-major. */
  design: number[];
  /** Their targets (class codes or values). */
  y: number[];
}

const finite = v.pipe(v.number(), v.finite());
export const NeighboursSchema = v.strictObject({
  classes: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000)),
  pipeline: PipelineSchema,
  k: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000)),
  weights: v.picklist(['uniform', 'distance']),
  metric: v.picklist(['euclidean', 'manhattan']),
  design: v.pipe(v.array(finite), v.maxLength(50_000_000)),
  y: v.pipe(v.array(finite), v.maxLength(5_000_000)),
});
