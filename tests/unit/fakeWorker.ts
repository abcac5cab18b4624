import { expose } from 'comlink';
import { MessageChannel, type MessagePort } from 'node:worker_threads';

/**
 * A stand-in for a Web Worker under Node: the "worker" side is a Comlink endpoint on one end
 * of a MessageChannel, running on this thread. `terminate()` closes the channel, as a real
 * terminate ends the worker. The API is the test's own, or the compute worker's.
 */
export class FakeWorker extends EventTarget {
  static made: FakeWorker[] = [];
  readonly port: MessagePort;
  terminated = false;
  constructor(api: object) {
    super();
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    port1.on('message', (data: unknown) =>
      this.dispatchEvent(new MessageEvent('message', { data })),
    );
    expose(api, port2 as unknown as Parameters<typeof expose>[1]);
    FakeWorker.made.push(this);
  }
  postMessage(data: unknown, transfer?: Transferable[]): void {
    this.port.postMessage(data, transfer as never);
  }
  start(): void {}
  terminate(): void {
    this.terminated = true;
    this.port.close();
  }
  crash(): void {
    this.dispatchEvent(Object.assign(new Event('error'), { message: 'boom' }));
  }
}
