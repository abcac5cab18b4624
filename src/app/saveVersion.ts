/**
 * Saving a trained version, the one way every use case does it: as the next version of an
 * existing model, or as v1 of a new model.
 */
import type { ModelRecord, ModelVersionRecord } from '../core/records';
import type { Store } from '../store/db';
import { saveNewModel, saveNextVersion, type NewModel, type VersionDraft } from '../store/models';

/** Where a version goes: the next of `model`, or v1 of a new model. */
export type SaveTarget = { model: ModelRecord } | { newModel: NewModel };

export async function saveVersion(
  store: Store,
  author: string,
  target: SaveTarget,
  draft: VersionDraft,
): Promise<{ model: ModelRecord; version: ModelVersionRecord }> {
  if ('model' in target) {
    const version = await saveNextVersion(store, author, target.model, draft);
    return { model: target.model, version };
  }
  return saveNewModel(store, author, target.newModel, draft);
}
