/** What a fitted naive Bayes model is, shared by the learner and its ONNX export. */
import * as v from 'valibot';
import { PipelineSchema, type FittedPipeline } from '../pipeline';

export interface NaiveBayes {
  classes: number;
  /** Imputation only: every feature one value column, in order (categories as codes). */
  pipeline: FittedPipeline;
  /** log P(class). */
  logPrior: number[];
  /** Numeric features: their indices, and per class (row-major classes × features) mean and variance. */
  gaussian: { feature: number[]; mean: number[]; variance: number[] };
  /** Categorical features: their indices, and per feature a table log P(category | class), categories × classes. */
  categorical: { feature: number[]; logProb: number[][] };
}

const finite = v.pipe(v.number(), v.finite());
const index = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000));
export const NaiveBayesSchema = v.strictObject({
  classes: v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(100_000)),
  pipeline: PipelineSchema,
  logPrior: v.array(finite),
  gaussian: v.strictObject({
    feature: v.array(index),
    mean: v.array(finite),
    variance: v.array(v.pipe(finite, v.gtValue(0))),
  }),
  categorical: v.strictObject({
    feature: v.array(index),
    logProb: v.array(v.array(finite)),
  }),
});
