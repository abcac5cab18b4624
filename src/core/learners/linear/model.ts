/** What a fitted linear model is, shared by the learners and their ONNX export. */
import * as v from 'valibot';
import { PipelineSchema, type FittedPipeline } from '../pipeline';

export interface LinearModel {
  /** Classes (0 for regression). */
  classes: number;
  pipeline: FittedPipeline;
  /** Rows of coefficients over the design columns (one row, or one per class beyond two). */
  coef: number[];
  intercept: number[];
  /** Fitted with an L1 penalty (coefficients may be exactly zero). */
  l1?: true;
  /**
   * Logistic regression on training rows its classes' scores separate perfectly: only the
   * penalty kept the coefficients finite (a note for the person, not part of the arithmetic).
   */
  separable?: true;
  /** A linear SVM's: decision values only, no probabilities (they would need calibrating). */
  decision?: true;
  /** How the optimizer ended (logistic regression, SVM); null when solved exactly. */
  optimizer: { iterations: number; gradientNorm: number; converged: boolean } | null;
}

const finite = v.pipe(v.number(), v.finite());
export const LinearSchema = v.strictObject({
  classes: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000)),
  pipeline: PipelineSchema,
  coef: v.pipe(v.array(finite), v.maxLength(10_000_000)),
  intercept: v.array(finite),
  decision: v.optional(v.literal(true)),
  l1: v.optional(v.literal(true)),
  separable: v.optional(v.literal(true)),
  optimizer: v.nullable(
    v.strictObject({
      iterations: v.pipe(v.number(), v.integer(), v.minValue(0)),
      gradientNorm: v.pipe(v.number(), v.minValue(0)),
      converged: v.boolean(),
    }),
  ),
});
