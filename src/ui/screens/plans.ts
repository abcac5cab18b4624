import type { ScreenId } from '../../app/router.svelte';

export interface ScreenInfo {
  title: string;
  /** One sentence: what the screen is for. */
  purpose: string;
  /** What the screen will offer once it is built. Empty for screens that are complete. */
  coming: string[];
}

/** Every screen's name and purpose; placeholders list what is still to come. */
export const SCREEN_INFO: Record<ScreenId, ScreenInfo> = {
  data: {
    title: 'Data',
    purpose: 'Bring in tabular data and keep every version of it.',
    coming: [],
  },
  models: {
    title: 'Models',
    purpose: 'Every trained model and all of its versions.',
    coming: [],
  },
  train: {
    title: 'Train',
    purpose: 'Train a decision tree on a data version.',
    coming: [],
  },
  search: {
    title: 'Search',
    purpose: 'Find good settings automatically.',
    coming: [],
  },
  compare: {
    title: 'Compare',
    purpose: 'Put model versions side by side.',
    coming: [],
  },
  overview: {
    title: 'Overview',
    purpose: 'One table of every model version.',
    coming: [],
  },
  audition: {
    title: 'Audition',
    purpose: 'Find the stored models that fit a data version.',
    coming: [],
  },
  predict: {
    title: 'Predict',
    purpose: 'Predict with a model version, and find every prediction in the log.',
    coming: [],
  },
  monitor: {
    title: 'Monitor',
    purpose: 'Watch models on new labelled data and know when to retrain.',
    coming: [],
  },
  backup: {
    title: 'Backup',
    purpose: 'Keep a copy of everything in a file.',
    coming: [
      'Export all records, or a selection, to one .orpheus file.',
      'Restore from a file: validated and previewed first, then written all at once.',
    ],
  },
  settings: {
    title: 'Settings',
    purpose: 'Your name, this browser’s storage, and a check of the background workers.',
    coming: [],
  },
};
