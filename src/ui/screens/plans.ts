import type { ScreenId } from '../../app/router.svelte';

export interface ScreenInfo {
  title: string;
  /** One sentence: what the screen is for. */
  purpose: string;
}

/** Every screen's name and purpose. */
export const SCREEN_INFO: Record<ScreenId, ScreenInfo> = {
  data: {
    title: 'Data',
    purpose: 'Bring in tabular data and keep every version of it.',
  },
  models: {
    title: 'Models',
    purpose: 'Every trained model and all of its versions.',
  },
  train: {
    title: 'Train',
    purpose: 'Train a decision tree on a data version.',
  },
  grow: {
    title: 'Grow a tree',
    purpose: 'Grow a decision tree by hand, one split at a time, and see why each split is chosen.',
  },
  search: {
    title: 'Search',
    purpose: 'Find good settings automatically.',
  },
  compare: {
    title: 'Compare',
    purpose: 'Put model versions side by side.',
  },
  overview: {
    title: 'Overview',
    purpose: 'One table of every model version.',
  },
  audition: {
    title: 'Audition',
    purpose: 'Find the stored models that fit a data version.',
  },
  predict: {
    title: 'Predict',
    purpose: 'Predict with a model version, and find every prediction in the log.',
  },
  monitor: {
    title: 'Monitor',
    purpose: 'Watch models on new labelled data and know when to retrain.',
  },
  backup: {
    title: 'Backup',
    purpose: 'Keep a copy of everything in a file.',
  },
  settings: {
    title: 'Settings',
    purpose: 'Your name, this browser’s storage, and a check of the background workers.',
  },
  lesson: {
    title: 'Lesson',
    purpose: 'A lesson a teacher sent as a link: its task, its data, the screens it uses.',
  },
  shared: {
    title: 'Shared model',
    purpose: 'A model version someone sent as a link: look at it, predict with it, keep it.',
  },
};
