/**
 * Each screen is loaded when it is first opened, with the libraries only it uses (plots, the
 * lineage graph's layout, the backup's zip reader …), so the first page load stays small. The
 * service worker precaches every chunk, so screens open offline after the first visit.
 */
import type { Component } from 'svelte';
import type { Orpheus } from '../../app/orpheus.svelte';
import type { ScreenId } from '../../app/routes';

type Screen = Component<{ app: Orpheus }>;

const LOADERS: Record<ScreenId, () => Promise<{ default: Screen }>> = {
  data: () => import('../data/DataScreen.svelte'),
  models: () => import('../models/ModelsScreen.svelte'),
  train: () => import('../train/TrainScreen.svelte'),
  grow: () => import('../grow/GrowScreen.svelte'),
  search: () => import('../search/SearchScreen.svelte'),
  compare: () => import('../compare/ComparePage.svelte'),
  overview: () => import('../overview/OverviewScreen.svelte'),
  audition: () => import('../audition/AuditionScreen.svelte'),
  predict: () => import('../predict/PredictScreen.svelte'),
  monitor: () => import('../predict/MonitorScreen.svelte'),
  backup: () => import('../backup/BackupScreen.svelte'),
  settings: () => import('../settings/Settings.svelte'),
  shared: () => import('../models/SharedScreen.svelte'),
  lesson: () => import('../lesson/LessonScreen.svelte'),
};

const loading = new Map<ScreenId, Promise<Screen>>();
const ready = new Map<ScreenId, Screen>();

/** The screen's component if it is loaded already (shown at once, without a loading step). */
export function loadedScreen(id: ScreenId): Screen | null {
  return ready.get(id) ?? null;
}

/** The screen's component, loaded once (a failed load is tried again next time). */
export function loadScreen(id: ScreenId): Promise<Screen> {
  let p = loading.get(id);
  if (!p) {
    p = LOADERS[id]().then((m) => {
      ready.set(id, m.default);
      return m.default;
    });
    p.catch(() => loading.delete(id));
    loading.set(id, p);
  }
  return p;
}
