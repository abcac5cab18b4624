/**
 * A model version in the formats that take it out of Orpheus: ONNX, its model card, and the
 * whole history as an MLflow file store. Loaded on first use (the ONNX writer is large).
 */
import { buildCard, cardMarkdown, type ModelCard } from '../core/export/card';
import { mlflowFiles, zipFiles } from '../core/export/mlflow';
import { modelToOnnx } from '../core/export/onnx';
import type { ModelRecord, ModelVersionRecord } from '../core/records';
import { labelDataVersions } from '../store/datasets';
import type { Store } from '../store/db';
import { listModels, listModelVersions } from '../store/models';
import { listStudies, listTrials } from '../store/studies';
import { isoNow } from './time';
import type { Progress } from '../core/vocabulary';

/** The version as an ONNX model, with where it came from in the model's metadata. */
export function versionOnnx(model: ModelRecord, v: ModelVersionRecord): Promise<Uint8Array> {
  return modelToOnnx({
    family: v.family,
    fitted: v.fitted,
    encoding: v.encoding,
    ...(v.decision ? { threshold: v.decision.threshold } : {}),
    name: `${model.name} v${v.number}`,
    producerVersion: __APP_VERSION__,
    meta: {
      orpheus_model: model.name,
      orpheus_model_id: model.id,
      orpheus_version: String(v.number),
      orpheus_version_id: v.id,
      orpheus_dataset_version: v.datasetVersionId,
      orpheus_metric: v.metric,
      author: v.author,
      created_at: v.createdAt,
      ...(v.decision ? { orpheus_decision_threshold: String(v.decision.threshold) } : {}),
    },
  });
}

/** The model card of a version, from what the store knows of its data, parent and study. */
export async function versionCard(
  store: Store,
  model: ModelRecord,
  v: ModelVersionRecord,
  parent: ModelVersionRecord | null,
): Promise<ModelCard> {
  const labels = await labelDataVersions(store, [v.datasetVersionId]);
  const data = labels.get(v.datasetVersionId) ?? null;
  const parentData = data?.version.parentId
    ? (await labelDataVersions(store, [data.version.parentId])).get(data.version.parentId)
    : undefined;
  const study = v.search ? await store.get('studies', v.search.studyId) : undefined;
  return buildCard({
    model,
    version: v,
    data,
    dataParent: parentData?.label ?? null,
    parent,
    study: study ?? null,
    app: __APP_VERSION__,
    now: isoNow(),
  });
}

/**
 * Every model version and every search trial as an MLflow file store in a zip. Progress counts
 * versions and studies.
 */
export async function mlflowZip(
  store: Store,
  signal: AbortSignal,
  progress: Progress,
): Promise<Blob> {
  const models = await listModels(store);
  const studies = await listStudies(store);
  const total = models.length + studies.length;
  let done = 0;
  const step = (): void => {
    signal.throwIfAborted();
    progress(++done, total);
  };
  const withVersions = [];
  const cards = new Map<string, string>();
  for (const model of models) {
    const versions = await listModelVersions(store, model.id);
    for (const v of versions)
      cards.set(
        v.id,
        cardMarkdown(
          await versionCard(store, model, v, versions.find((p) => p.id === v.parentId) ?? null),
        ),
      );
    withVersions.push({ model, versions });
    step();
  }
  const withTrials = [];
  for (const study of studies) {
    withTrials.push({ study, trials: await listTrials(store, study.id) });
    step();
  }
  const files = await mlflowFiles({
    models: withVersions,
    studies: withTrials,
    onnx: versionOnnx,
    card: (_m, v) => cards.get(v.id)!,
    app: __APP_VERSION__,
  });
  signal.throwIfAborted();
  return zipFiles(files);
}
