import { registerSW } from 'virtual:pwa-register';

/**
 * The service worker's life as the page sees it. A new version never takes over by itself:
 * the person is told and reloads when no long job would be lost.
 */
export class AppUpdate {
  needRefresh = $state(false);
  offlineReady = $state(false);
  error = $state<string | null>(null);
  #update: ((reload?: boolean) => Promise<void>) | null = null;

  start(): void {
    if (!('serviceWorker' in navigator)) return;
    this.#update = registerSW({
      immediate: true,
      onNeedRefresh: () => {
        this.needRefresh = true;
      },
      onOfflineReady: () => {
        this.offlineReady = true;
      },
      onRegisterError: (e: unknown) => {
        this.error = `Offline use is not available: ${e instanceof Error ? e.message : String(e)}`;
      },
    });
  }

  /** Activates the waiting version and reloads the page. */
  async reload(): Promise<void> {
    await this.#update?.(true);
  }

  dismiss(): void {
    this.needRefresh = false;
    this.offlineReady = false;
  }
}
