/** The screens of Orpheus, in navigation order. */
export const SCREENS = [
  'data',
  'models',
  'train',
  'search',
  'compare',
  'overview',
  'audition',
  'predict',
  'monitor',
  'backup',
  'settings',
] as const;

export type ScreenId = (typeof SCREENS)[number];

function isScreen(s: string): s is ScreenId {
  return (SCREENS as readonly string[]).includes(s);
}

/** Reads a location hash such as `#/models?x=1` as a screen; anything else is the Data screen. */
export function screenFromHash(hash: string): ScreenId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return isScreen(id) ? id : 'data';
}

/** The current screen, kept in the URL hash so it survives a reload and can be bookmarked. */
export class Router {
  screen = $state<ScreenId>('data');

  constructor(readonly location: Location) {
    this.screen = screenFromHash(location.hash);
  }

  /** Call on `hashchange`. */
  sync(): void {
    this.screen = screenFromHash(this.location.hash);
  }

  href(id: ScreenId): string {
    return `#/${id}`;
  }
}
