/**
 * The compute worker: a thin Comlink endpoint over the pure core. The page imports only the
 * type of `api`, so the boundary is derived from this implementation, never written twice.
 */
import { expose, transfer } from 'comlink';
import type { DatasetContent } from '../src/core/data/content';
import { parseTable, type ParseOptions } from '../src/core/data/parse';
import {
  buildFromRaw,
  derive,
  inspectRaw,
  type BuiltVersion,
  type Derivation,
  type Inspection,
  type SchemaChoice,
} from '../src/core/data/pipeline';
import { countPrimes, type PrimeCount } from '../src/core/smoke';

export type ProgressCallback = (done: number, total: number) => void;

type ReadOptions = Omit<ParseOptions, 'onProgress'>;

/** Sends the numeric columns back without copying them. */
function transferred(v: BuiltVersion): BuiltVersion {
  const buffers = v.content.columns.flatMap((c) =>
    c.kind === 'numeric' ? [c.values.buffer] : c.kind === 'categorical' ? [c.codes.buffer] : [],
  );
  return transfer(v, buffers as ArrayBuffer[]);
}

function report(onProgress: ProgressCallback): ProgressCallback {
  return (done, total) => void onProgress(done, total);
}

const api = {
  /** The worker check: count primes below `limit`, reporting progress `chunks` times. */
  countPrimes(limit: number, chunks: number, onProgress: ProgressCallback): PrimeCount {
    return countPrimes(limit, chunks, report(onProgress));
  },

  /** Parses a file and suggests a schema; nothing is kept. */
  async inspect(
    input: string | Blob,
    options: ReadOptions & { preferredTarget?: string },
    onProgress: ProgressCallback,
  ): Promise<Inspection> {
    const raw = await parseTable(input, { ...options, onProgress: report(onProgress) });
    return inspectRaw(raw, options.preferredTarget);
  },

  /** Parses the file again and builds the version the person chose: encoded, hashed, profiled. */
  async build(
    input: string | Blob,
    options: ReadOptions,
    choice: SchemaChoice,
    onProgress: ProgressCallback,
  ): Promise<BuiltVersion> {
    const raw = await parseTable(input, { ...options, onProgress: report(onProgress) });
    return transferred(await buildFromRaw(raw, choice));
  },

  /** A new version from a parent: rows appended, schema changed, or rows filtered. */
  async derive(
    parent: DatasetContent,
    how: Derivation,
    onProgress: ProgressCallback,
  ): Promise<BuiltVersion> {
    return transferred(await derive(parent, how, report(onProgress)));
  },
};

export type ComputeApi = typeof api;

expose(api);
