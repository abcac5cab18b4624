/**
 * Monitoring: a model's score on labelled predictions over time (per batch or per day),
 * retrain triggers, and the promotion gate a challenger must pass.
 */
import type { Gate, MonitorSettings, PredictionRecord, TriggerRules } from '../records';

export type { Gate, MonitorSettings, TriggerRules };
import {
  classificationScores,
  regressionScores,
  scalarScores,
  METRICS,
  type MetricName,
} from '../train/metrics';

export const DEFAULT_MONITOR: MonitorSettings = {
  rules: { growth: 0.2, maxAgeDays: 30, threshold: null },
  gate: { minGain: 0.01, maxRecallDrop: 0.05 },
};

export interface Point {
  /** Batch id or day (YYYY-MM-DD). */
  key: string;
  /** When the group starts, ISO. */
  at: string;
  n: number;
  value: number;
}

/** The metric on labelled predictions, grouped by batch or by day, oldest first. */
export function scoreOverTime(
  predictions: readonly PredictionRecord[],
  classes: string[] | null,
  metric: MetricName,
  by: 'batch' | 'day',
): Point[] {
  const groups = new Map<string, PredictionRecord[]>();
  for (const p of predictions) {
    if (p.label === null) continue;
    const key = by === 'batch' ? (p.batchId ?? p.createdAt.slice(0, 10)) : p.createdAt.slice(0, 10);
    const g = groups.get(key);
    if (g) g.push(p);
    else groups.set(key, [p]);
  }
  const points: Point[] = [];
  for (const [key, g] of groups) {
    const value = scoreLabelled(g, classes, metric);
    if (value !== null)
      points.push({ key, at: g.map((p) => p.createdAt).sort()[0]!, n: g.length, value });
  }
  return points.sort((a, b) => a.at.localeCompare(b.at));
}

/** The metric over labelled predictions; a label the model never saw counts as an error. */
export function scoreLabelled(
  ps: readonly PredictionRecord[],
  classes: string[] | null,
  metric: MetricName,
): number | null {
  const labelled = ps.filter((p) => p.label !== null);
  if (labelled.length === 0) return null;
  if (!classes) {
    const truth = labelled.map((p) => Number(p.label));
    const pred = labelled.map((p) => Number(p.output));
    return scalarScores(regressionScores(truth, pred))[metric] ?? null;
  }
  const k = classes.length;
  const code = (s: string): number => {
    const i = classes.indexOf(s);
    return i < 0 ? k : i;
  };
  const truth = labelled.map((p) => code(p.label!));
  const pred = labelled.map((p) => code(p.output));
  return scalarScores(classificationScores(truth, pred, null, k + 1))[metric] ?? null;
}

export interface TriggerContext {
  /** Rows of the champion's data version, and of the newest version of the same dataset. */
  trainedRows: number;
  latestRows: number;
  championCreatedAt: string;
  /** Epoch milliseconds. */
  now: number;
  latestScore: number | null;
  metric: MetricName;
}

/** The rules that fire, each as a sentence. */
export function firedTriggers(rules: TriggerRules, ctx: TriggerContext): string[] {
  const out: string[] = [];
  if (rules.growth !== null && ctx.trainedRows > 0) {
    const g = (ctx.latestRows - ctx.trainedRows) / ctx.trainedRows;
    if (g >= rules.growth)
      out.push(
        `The data grew by ${Math.round(g * 100)} % (${ctx.trainedRows} → ${ctx.latestRows} rows) since the champion was trained.`,
      );
  }
  if (rules.maxAgeDays !== null) {
    const days = (ctx.now - Date.parse(ctx.championCreatedAt)) / 86_400_000;
    if (days > rules.maxAgeDays)
      out.push(`The champion is ${Math.floor(days)} days old (limit ${rules.maxAgeDays}).`);
  }
  if (rules.threshold !== null && ctx.latestScore !== null) {
    const up = METRICS[ctx.metric].higherIsBetter;
    if (up ? ctx.latestScore < rules.threshold : ctx.latestScore > rules.threshold)
      out.push(
        `The latest monitored ${METRICS[ctx.metric].label} is ${ctx.latestScore.toFixed(3)}, ${up ? 'below' : 'above'} the threshold ${rules.threshold}.`,
      );
  }
  return out;
}

export interface GateInput {
  metric: MetricName;
  champion: { value: number; recall: number[] | null };
  challenger: { value: number; recall: number[] | null };
  classes: string[] | null;
}

/** Whether a challenger may replace the champion, with the reasons either way. */
export function checkGate(gate: Gate, g: GateInput): { passed: boolean; reasons: string[] } {
  const reasons: string[] = [];
  let passed = true;
  const up = METRICS[g.metric].higherIsBetter;
  const gain = up ? g.challenger.value - g.champion.value : g.champion.value - g.challenger.value;
  const label = METRICS[g.metric].label;
  if (gain + 1e-12 < gate.minGain) {
    passed = false;
    reasons.push(
      `${label} improves by ${gain.toFixed(4)}, less than the required ${gate.minGain}.`,
    );
  } else reasons.push(`${label} improves by ${gain.toFixed(4)} (at least ${gate.minGain}).`);
  if (g.champion.recall && g.challenger.recall && g.classes)
    g.classes.forEach((c, i) => {
      const drop = (g.champion.recall![i] ?? 0) - (g.challenger.recall![i] ?? 0);
      if (drop > gate.maxRecallDrop + 1e-12) {
        passed = false;
        reasons.push(
          `Recall of "${c}" drops by ${drop.toFixed(3)}, more than ${gate.maxRecallDrop}.`,
        );
      }
    });
  return { passed, reasons };
}
