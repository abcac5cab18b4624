/**
 * `train(data, model)`: which of the four cases a choice of data version and model is, decided
 * before anything runs so the Train screen can say what will happen.
 */

export type Scenario =
  /** New data + new model: search settings automatically, then save the best as v1. */
  | 'search-new'
  /** New data + existing model: retrain the model's configuration, save the next version. */
  | 'retrain'
  /** Existing data + new model: train the chosen settings and save v1. */
  | 'train-new'
  /** Existing data + existing model: nothing is trained; show the model's history. */
  | 'history';

export interface ScenarioInput {
  /** The data version chosen. */
  dataVersionId: string;
  /** The data versions the chosen model's versions were trained on; null for a new model. */
  modelTrainedOn: readonly string[] | null;
  /** How many model versions (of any model) were trained on the chosen data version. */
  versionsOnData: number;
}

export function scenarioFor(input: ScenarioInput): Scenario {
  if (input.modelTrainedOn === null) return input.versionsOnData === 0 ? 'search-new' : 'train-new';
  return input.modelTrainedOn.includes(input.dataVersionId) ? 'history' : 'retrain';
}

/** What each case does, in the words the Train screen uses. */
export const SCENARIO_TEXT: Record<Scenario, { title: string; action: string; detail: string }> = {
  'search-new': {
    title: 'New data, new model',
    action: 'Search and train',
    detail:
      'No model has been trained on this data version yet. Orpheus will search the settings (a TPE study scored by cross-validation), train the best, and save it as version 1 of the new model.',
  },
  retrain: {
    title: 'New data, existing model',
    action: 'Retrain',
    detail:
      'This model has not seen this data version. Orpheus will retrain its latest configuration on it and save the result as its next version, linked to the previous one, with the scores side by side.',
  },
  'train-new': {
    title: 'Existing data, new model',
    action: 'Train',
    detail:
      'Other models have been trained on this data version. Orpheus will train the settings below and save them as version 1 of the new model.',
  },
  history: {
    title: 'Existing data, existing model',
    action: 'Show history',
    detail:
      'This model has already been trained on this data version, so nothing is retrained. Its history shows every version, its data and scores, and can reproduce any of them.',
  },
};
