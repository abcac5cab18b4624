import { hrefFor, queryParam, routeFromHash, screenFromHash, type ScreenId } from './routes';

export { SCREENS, screenFromHash, type ScreenId } from './routes';

/** The current route, kept in the URL hash so it survives a reload and can be bookmarked. */
export class Router {
  screen = $state<ScreenId>('data');
  path = $state.raw<string[]>([]);
  /** The query string of the hash, without `?`. */
  query = $state('');

  constructor(readonly location: Location) {
    this.sync();
  }

  /** Call on `hashchange`. */
  sync(): void {
    this.screen = screenFromHash(this.location.hash);
    const { path, query } = routeFromHash(this.location.hash);
    this.path = path;
    this.query = query;
  }

  /** One query parameter of the current route, or null. */
  param(name: string): string | null {
    return queryParam(this.query, name);
  }

  href(id: ScreenId, path: string[] = [], query: Record<string, string> = {}): string {
    return hrefFor(id, path, query);
  }

  go(id: ScreenId, path: string[] = [], query: Record<string, string> = {}): void {
    this.location.hash = hrefFor(id, path, query);
  }
}
