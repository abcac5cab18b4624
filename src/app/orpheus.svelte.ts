import type { PrimeCount } from '../core/smoke';
import { Store } from '../store/db';
import { Activity } from './activity.svelte';
import { DataLibrary } from './dataLibrary.svelte';
import { DatasetView } from './datasetView.svelte';
import { ImportFlow } from './importFlow.svelte';
import { AuditionView } from './audition.svelte';
import { BackupFlow } from './backup.svelte';
import { SharedView } from './share.svelte';
import { CompareView } from './compare.svelte';
import { onStorageFull } from './failures';
import { Job } from './job.svelte';
import { MonitorView } from './monitorView.svelte';
import { PredictFlow } from './predictFlow.svelte';
import { PredictionLog } from './predictionLog.svelte';
import { ModelLibrary } from './modelLibrary.svelte';
import { ModelView } from './modelView.svelte';
import { TrainFlow } from './trainFlow.svelte';
import { StudyLibrary } from './studyLibrary.svelte';
import { StudyRun } from './studyRun.svelte';
import { Notices } from './notices.svelte';
import { OptunaImport } from './optuna.svelte';
import { PaintFlow } from './paintFlow.svelte';
import { GrowFlow } from './growFlow.svelte';
import { Display } from './display.svelte';
import { LessonMode } from './lesson.svelte';
import { OverviewView } from './overview.svelte';
import { Router } from './router.svelte';
import { Session } from './session.svelte';
import { StorageStatus } from './storage.svelte';
import { AppUpdate } from './update.svelte';
import { checkWorkers, createComputePool, type ComputePool } from './workers';

/** The IndexedDB database Orpheus keeps everything in. */
const DB_NAME = 'orpheus';

/** The default size of the worker check: a few seconds of work on a laptop core. */
export const WORKER_CHECK_LIMIT = 3_000_000;

/**
 * The running app: the store, opened once, the worker pool, and the state every screen reads.
 * Screens receive this object and call its use cases; they never reach the store or the
 * workers themselves.
 */
export class Orpheus {
  readonly notices = new Notices();
  readonly update = new AppUpdate();
  readonly workerCheck = new Job<PrimeCount>();
  readonly session: Session;
  readonly storage: StorageStatus;
  readonly activity: Activity;
  readonly router: Router;
  readonly library: DataLibrary;
  readonly importFlow: ImportFlow;
  readonly datasetView: DatasetView;
  readonly models: ModelLibrary;
  readonly trainFlow: TrainFlow;
  readonly modelView: ModelView;
  readonly shared: SharedView;
  readonly compare: CompareView;
  readonly overview: OverviewView;
  readonly audition: AuditionView;
  readonly predict: PredictFlow;
  readonly predictionLog: PredictionLog;
  readonly monitor: MonitorView;
  readonly backup: BackupFlow;
  readonly studies: StudyLibrary;
  readonly studyRun: StudyRun;
  readonly optunaImport: OptunaImport;
  readonly paint: PaintFlow;
  readonly grow: GrowFlow;
  readonly display = new Display();
  readonly lesson: LessonMode;
  /** Another tab opened a newer version of Orpheus; this one must reload to go on. */
  staleTab = $state(false);
  /** Another tab replaced every record with a backup: what this tab was doing was stopped. */
  replacedElsewhere = $state<string | null>(null);

  private constructor(
    readonly store: Store,
    readonly pool: ComputePool,
    /** Search trials use every core: the page has little to do while a study runs. */
    readonly searchPool: ComputePool,
  ) {
    this.session = new Session(store);
    this.storage = new StorageStatus(store, globalThis.navigator?.storage);
    this.activity = new Activity(store);
    this.router = new Router(window.location);
    const author = (): string => this.session.author;
    this.library = new DataLibrary(store);
    this.importFlow = new ImportFlow(pool, store, author);
    this.datasetView = new DatasetView(pool, store, author);
    this.models = new ModelLibrary(store, author);
    this.studies = new StudyLibrary(store);
    this.studyRun = new StudyRun(searchPool, store, author, this.models, this.studies);
    this.optunaImport = new OptunaImport(store, author, this.studies);
    this.paint = new PaintFlow(store, author, this.library);
    this.grow = new GrowFlow(pool, store, author, this.models);
    this.trainFlow = new TrainFlow(pool, store, author, this.models, this.studyRun, () =>
      this.storage.quota !== null && this.storage.usage !== null
        ? this.storage.quota - this.storage.usage
        : null,
    );
    this.modelView = new ModelView(pool, store, author);
    this.shared = new SharedView(store, author, () => this.refreshAll());
    this.compare = new CompareView(pool, store);
    this.overview = new OverviewView(this.router, this.library, this.models);
    this.audition = new AuditionView(pool, store, this.models);
    this.predict = new PredictFlow(store, author);
    this.predictionLog = new PredictionLog(store, author);
    this.monitor = new MonitorView(store, author);
    this.backup = new BackupFlow(store, author, () => this.refreshAll());
    this.lesson = new LessonMode(store, author, this.library, this.models, this.backup);
    onStorageFull(() => void (this.backup.storageFull = true));
  }

  static async start(): Promise<Orpheus> {
    let app: Orpheus | null = null;
    const store = await Store.open(DB_NAME, {
      onVersionChange: () => {
        if (app) app.staleTab = true;
      },
    });
    const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
    app = new Orpheus(store, createComputePool(), createComputePool(Math.max(1, cores)));
    await app.session.load();
    // On first start the storage request waits for the person's name, so it is theirs.
    if (!app.session.needsName) await app.storage.start(app.session.author);
    await Promise.all([
      app.activity.refresh(),
      app.library.refresh(),
      app.models.refresh(),
      app.studies.refresh(),
      app.backup.load(),
    ]);
    app.update.start();
    app.#openLaunchedFiles();
    app.#listenToOtherTabs();
    app.#reportBackgroundFailures();
    return app;
  }

  /**
   * The installed app opens `.orpheus` files (the manifest's file handler): such a file goes
   * to the Backup screen, checked and previewed, nothing written until the person chooses.
   */
  #openLaunchedFiles(): void {
    const queue = (
      globalThis as {
        launchQueue?: {
          setConsumer(f: (p: { files?: { getFile(): Promise<File> }[] }) => void): void;
        };
      }
    ).launchQueue;
    queue?.setConsumer((params) => {
      const handle = params.files?.[0];
      if (!handle) return;
      this.router.go('backup');
      void handle.getFile().then((file) => this.backup.open(file));
    });
  }

  /**
   * Work started without waiting for it (a screen opening its records, a study's next trial …)
   * must never fail silently: a rejection nobody handled is shown to the person as a notice.
   */
  #reportBackgroundFailures(): void {
    globalThis.addEventListener?.('unhandledrejection', (event: PromiseRejectionEvent) => {
      const reason: unknown = event.reason;
      // A cancel is the person's own choice, not a failure.
      if (reason instanceof DOMException && reason.name === 'AbortError') return;
      event.preventDefault();
      this.notices.error(reason);
    });
  }

  /**
   * Tabs of Orpheus tell each other when they write (BroadcastChannel), so every open tab
   * shows the same datasets, models and studies.
   */
  #listenToOtherTabs(): void {
    // The activity list follows this tab's writes too (Settings shows it live), read again once
    // after a burst of them: a search writes one trial at a time.
    let refreshing: ReturnType<typeof setTimeout> | null = null;
    const refreshActivity = (): void => {
      if (refreshing) return;
      refreshing = setTimeout(() => {
        refreshing = null;
        void this.activity.refresh().catch((e: unknown) => this.notices.error(e));
      }, 150);
    };
    this.store.onCommitted = refreshActivity;
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel('orpheus-store');
    this.store.onCommitted = () => {
      refreshActivity();
      channel.postMessage('changed');
    };
    this.store.onReplaced = () => channel.postMessage('replaced');
    let pending: ReturnType<typeof setTimeout> | null = null;
    channel.onmessage = (event: MessageEvent) => {
      if (event.data === 'replaced') this.#replacedElsewhere();
      if (pending) clearTimeout(pending);
      pending = setTimeout(() => {
        pending = null;
        void this.refreshAll().catch((e: unknown) => this.notices.error(e));
      }, 150);
    };
  }

  /**
   * Every record was replaced from another tab: the jobs of this tab that would write on records
   * that are gone stop without writing, the person is told why, and the lists show the new store.
   */
  #replacedElsewhere(): void {
    // A search that already met its vanished study (its trial write was refused) was running too.
    const searching = this.studyRun.active || this.studyRun.lostStudy;
    const training = this.trainFlow.job.running;
    this.studyRun.abandon(
      'Every record was replaced from a backup in another tab: this search was stopped and nothing more of it was written.',
    );
    if (training) this.trainFlow.job.cancel();
    const stopped = [searching && 'a search', training && 'a training'].filter(Boolean);
    this.replacedElsewhere = `Every record in this browser was replaced from a backup in another tab.${stopped.length ? ` ${stopped.join(' and ')} running here ${stopped.length > 1 ? 'were' : 'was'} stopped, and nothing of it was saved.` : ''} The lists now show the restored records.`;
  }

  /** Re-reads every list (after a restore changed the store under the screens). */
  async refreshAll(): Promise<void> {
    await Promise.all([
      this.session.load(),
      this.activity.refresh(),
      this.library.refresh(),
      this.models.refresh(),
      this.studies.refresh(),
      this.backup.load(),
    ]);
  }

  /**
   * Deletes every record in this browser, the activity log included (recorded nowhere, since
   * nothing of the store survives), then starts afresh. The screen offers it only after a
   * backup, or when the person declines one.
   */
  async deleteEverything(): Promise<void> {
    this.store.close();
    await Store.deleteDatabase(DB_NAME);
    location.reload();
  }

  /** Saves the person's name; returns a message if it is not acceptable. */
  async setUserName(name: string): Promise<string | null> {
    try {
      const firstStart = this.session.needsName;
      const problem = await this.session.setName(name);
      if (problem !== null) return problem;
      if (firstStart) await this.storage.start(this.session.author);
      await this.activity.refresh();
      return null;
    } catch (e) {
      this.notices.error(e);
      return null;
    }
  }

  runWorkerCheck(limit = WORKER_CHECK_LIMIT): Promise<PrimeCount | null> {
    return this.workerCheck.run((signal, progress) =>
      checkWorkers(this.pool, limit, signal, progress),
    );
  }
}
