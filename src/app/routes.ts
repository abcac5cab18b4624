/** Routes live in the URL hash (`#/data/<id>?v=<version>`), so every view can be bookmarked. */
import { SCREENS } from '../core/screens';

export { SCREENS };

/** Screens reached by a link only, not from the navigation. */
export const LINK_SCREENS = ['shared', 'lesson'] as const;

export type ScreenId = (typeof SCREENS)[number] | (typeof LINK_SCREENS)[number];

function isScreen(s: string): s is ScreenId {
  return (
    (SCREENS as readonly string[]).includes(s) || (LINK_SCREENS as readonly string[]).includes(s)
  );
}

/** Reads a location hash such as `#/models?x=1` as a screen; anything else is the Data screen. */
export function screenFromHash(hash: string): ScreenId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return isScreen(id) ? id : 'data';
}

/** The path after the screen (`#/data/abc` → `['abc']`) and the query string of a hash. */
export function routeFromHash(hash: string): { path: string[]; query: string } {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const path = (q < 0 ? body : body.slice(0, q))
    .split('/')
    .filter(Boolean)
    .slice(1)
    .map(decodeURIComponent);
  return { path, query: q < 0 ? '' : body.slice(q + 1) };
}

/** One parameter of a query string, or null. */
export function queryParam(query: string, name: string): string | null {
  return new URLSearchParams(query).get(name);
}

export function hrefFor(
  id: ScreenId,
  path: readonly string[] = [],
  query: Readonly<Record<string, string>> = {},
): string {
  const p = path.map(encodeURIComponent).join('/');
  const q = new URLSearchParams(Object.entries(query)).toString();
  return `#/${id}${p ? `/${p}` : ''}${q ? `?${q}` : ''}`;
}
