/**
 * A model card for one version: what it is for (in the person's words), the data, the
 * training, the evaluation, limitations and caveats, lineage, author and dates. Built as plain
 * sections that the page shows and that `cardMarkdown` and `cardHtml` write out.
 */
import type { DatasetVersionRecord, ModelRecord, ModelVersionRecord } from '../records';
import { METRICS, scalarScores, type MetricName } from '../train/metrics';
import { describeParams, learnerFor } from '../learners/registry';

export interface CardSection {
  id: string;
  heading: string;
  text?: string[];
  facts?: [string, string][];
  table?: { caption: string; head: string[]; rows: string[][] };
}

export interface ModelCard {
  title: string;
  sections: CardSection[];
}

export interface CardInput {
  model: ModelRecord;
  version: ModelVersionRecord;
  /** The data version and its "dataset vN" label, when this browser has it. */
  data: { version: DatasetVersionRecord; label: string } | null;
  /** "dataset vN" of the data version the data version was derived from, if any. */
  dataParent: string | null;
  parent: ModelVersionRecord | null;
  study: { name: string } | null;
  /** Version of the Orpheus making the card. */
  app: string;
  now: string;
}

/** Four significant digits (59.58, 0.008632), as the screens show them; integers whole. */
const num = (x: number): string =>
  Number.isInteger(x) || !Number.isFinite(x) ? String(x) : String(Number(x.toPrecision(4)));
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const day = (iso: string): string => iso.slice(0, 16).replace('T', ' ') + ' UTC';

export function buildCard(input: CardInput): ModelCard {
  const { model, version: v, data } = input;
  const classes = v.encoding.classes;
  const sections: CardSection[] = [];

  sections.push({
    id: 'intended-use',
    heading: 'Intended use',
    text: [
      model.intendedUse?.trim() ||
        'Not written yet: say what this model is for, who should use it, and what it is not for.',
    ],
  });

  const dataFacts: [string, string][] = [];
  if (data) {
    const p = data.version.profile;
    dataFacts.push(['Data version', `${data.label} (${data.version.id.slice(0, 12)}…)`]);
    dataFacts.push(['Source', data.version.source]);
    dataFacts.push(['Rows', `${p.rowCount}, ${p.rowsWithMissing} of them with a missing value`]);
    if (p.classBalance)
      dataFacts.push([
        'Class balance',
        p.classBalance
          .map((c) => `${c.value} ${c.count} (${pct(c.count / p.rowCount)})`)
          .join(', '),
      ]);
  } else
    dataFacts.push(['Data version', `${v.datasetVersionId.slice(0, 12)}… (not in this browser)`]);
  dataFacts.push([
    'Used',
    `${v.trainRows} rows to train, ${v.holdout.rows.length} held out, ${v.droppedRows} left out (no target)`,
  ]);
  dataFacts.push(['Target', v.encoding.target]);
  dataFacts.push([
    'Features',
    v.encoding.features
      .map(
        (f) =>
          `${f.name} (${f.kind === 'numeric' ? 'number' : `${f.categories.length} categories`})`,
      )
      .join(', '),
  ]);
  sections.push({ id: 'data', heading: 'Data', facts: dataFacts });

  const learner = learnerFor(v.family);
  const settings: [string, string][] = describeParams(v.family, v.hyperparameters, (x) =>
    num(x),
  ).map((p) => [p.label, p.value]);
  sections.push({
    id: 'training',
    heading: 'Training',
    facts: [
      ['Model family', learner.label],
      ['Algorithm', `${v.algorithm} (${v.encoding.task})`],
      ...settings,
      ['Seed', String(v.seed)],
      [
        'Evaluation plan',
        `${v.evaluation.folds}-fold cross-validation, ${pct(v.evaluation.testFraction)} held out`,
      ],
      [
        'Settings chosen by',
        input.study
          ? `the search study “${input.study.name}” (best trial #${v.search?.trial ?? '?'})`
          : v.scenario === 'retrain'
            ? 'the version it was retrained from'
            : 'hand',
      ],
      ['Training time', `${Math.round(v.trainingMs)} ms`],
      ['Size', learner.describeSize(v.modelParameters.size)],
    ],
  });

  // What the model is: its preprocessing in words, and what its family says it learned
  // (the fitted steps, coefficients, a forest's out-of-bag score, the baseline's answer).
  const learned = learner.facts?.(v.fitted, v.encoding) ?? [];
  sections.push({
    id: 'model',
    heading: 'The model and its preprocessing',
    text: v.preprocessing,
    ...(learned.length > 0 ? { facts: learned } : {}),
  });

  const holdout = scalarScores(v.scores.holdout);
  const metrics = Object.keys(METRICS).filter(
    (m) => m in v.scores.cv || m in holdout,
  ) as MetricName[];
  const evaluation: CardSection = {
    id: 'evaluation',
    heading: 'Evaluation',
    text: [
      `Ranked by ${METRICS[v.metric].label}.`,
      ...(v.search
        ? [
            `The cross-validated scores are the selection scores of trial ${v.search.trial} of its search: the best of many trials on the same folds, so optimistic. The hold-out (${v.holdout.rows.length} rows it never trained on) is the honest estimate.`,
          ]
        : [`The hold-out is ${v.holdout.rows.length} rows it never trained on.`]),
    ],
    table: {
      caption: 'Scores',
      head: [
        'Metric',
        v.search ? 'Cross-validated, selection (mean ± std)' : 'Cross-validated (mean ± std)',
        'Hold-out',
      ],
      rows: metrics.map((m) => {
        const cv = v.scores.cv[m];
        return [
          METRICS[m].label,
          cv ? `${num(cv.mean)} ± ${num(cv.std)}` : '—',
          holdout[m] === undefined ? '—' : num(holdout[m]),
        ];
      }),
    },
  };
  sections.push(evaluation);
  if (classes && 'confusion' in v.scores.holdout)
    sections.push({
      id: 'confusion',
      heading: 'Confusion matrix (hold-out)',
      table: {
        caption: 'Rows: true class; columns: predicted class',
        head: ['', ...classes],
        rows: v.scores.holdout.confusion.map((row, i) => [classes[i]!, ...row.map(String)]),
      },
    });

  const caveats: string[] = [];
  caveats.push(
    `Trained in ${v.environment.userAgent || 'an unknown browser'} with ${Object.entries(
      v.libraryVersions,
    )
      .map(([k, x]) => `${k} ${x}`)
      .join(', ')}; Orpheus warns when a version is opened under other library versions.`,
  );
  caveats.push(
    v.tags.includes('handles-missing-values')
      ? 'Missing values: each split learned where rows with a missing value go; a missing value at prediction time follows that side. The ONNX export does the same.'
      : 'Missing values: this version cannot take them; Orpheus refuses a row with one.',
  );
  if (v.encoding.features.some((f) => f.kind === 'categorical'))
    caveats.push(
      'Categories: a category not seen in training is refused by Orpheus; the ONNX export treats it as missing.',
    );
  if (data?.version.profile.classBalance) {
    const counts = data.version.profile.classBalance.map((c) => c.count);
    const smallest = Math.min(...counts) / data.version.profile.rowCount;
    if (smallest < 0.1)
      caveats.push(
        `Imbalance: the rarest class is ${pct(smallest)} of the rows; its scores rest on few examples.`,
      );
  }
  caveats.push(
    `Scope: the model has seen ${v.trainRows} rows from ${data ? data.label : 'its data version'}; rows unlike them may be predicted badly.`,
  );
  sections.push({ id: 'limitations', heading: 'Limitations and caveats', text: caveats });

  sections.push({
    id: 'lineage',
    heading: 'Lineage',
    facts: [
      ['Model version', `${model.name} v${v.number} (${v.id})`],
      ['Retrained from', input.parent ? `v${input.parent.number}` : 'nothing: a first version'],
      ['Data version derived from', input.dataParent ?? 'nothing: an import'],
      ['Made by the case', v.scenario],
    ],
  });
  sections.push({
    id: 'people',
    heading: 'Author and dates',
    facts: [
      ['Version made by', `${v.author}, ${day(v.createdAt)}`],
      ['Model created by', `${model.author}, ${day(model.createdAt)}`],
      ['Card written', `${day(input.now)} by Orpheus ${input.app}`],
    ],
  });
  return { title: `Model card: ${model.name} v${v.number}`, sections };
}

const mdCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function cardMarkdown(card: ModelCard): string {
  const out = [`# ${card.title}`, ''];
  for (const s of card.sections) {
    out.push(`## ${s.heading}`, '');
    for (const t of s.text ?? []) out.push(s.text!.length > 1 ? `- ${t}` : t);
    if (s.text?.length) out.push('');
    for (const [k, x] of s.facts ?? []) out.push(`- **${k}**: ${x}`);
    if (s.facts?.length) out.push('');
    if (s.table) {
      out.push(`| ${s.table.head.map(mdCell).join(' | ')} |`);
      out.push(`| ${s.table.head.map(() => '---').join(' | ')} |`);
      for (const r of s.table.rows) out.push(`| ${r.map(mdCell).join(' | ')} |`);
      out.push('');
    }
  }
  return out.join('\n');
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A self-contained HTML page of the card (no script, no outside resource). */
export function cardHtml(card: ModelCard): string {
  const body = card.sections
    .map((s) => {
      const parts = [`<h2>${esc(s.heading)}</h2>`];
      if (s.text?.length)
        parts.push(
          s.text.length > 1
            ? `<ul>${s.text.map((t) => `<li>${esc(t)}</li>`).join('')}</ul>`
            : `<p>${esc(s.text[0]!)}</p>`,
        );
      if (s.facts?.length)
        parts.push(
          `<dl>${s.facts.map(([k, x]) => `<dt>${esc(k)}</dt><dd>${esc(x)}</dd>`).join('')}</dl>`,
        );
      if (s.table)
        parts.push(
          `<table><caption>${esc(s.table.caption)}</caption><thead><tr>${s.table.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${s.table.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`,
        );
      return `<section id="${esc(s.id)}">${parts.join('')}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(card.title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}dt{font-weight:600}dd{margin:0 0 .5rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}</style>
</head><body><h1>${esc(card.title)}</h1>
${body}
</body></html>
`;
}
