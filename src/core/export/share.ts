/**
 * A model version in a link: the version record (tree, encoding, settings, scores …) and its
 * model's name, task and metric, as JSON, deflated (the browser's CompressionStream) and
 * written in base64url, carried in the URL's fragment (never sent to a server). Reading a link
 * checks its size before and after inflating, refuses keys that could pollute prototypes, and
 * validates the version against the same schema a backup uses.
 */
import * as v from 'valibot';
import { checkKeys, checkRecord, describeIssue, RecordError } from '../check';
import { transform } from '../bytes';
import type { ModelRecord, ModelVersionRecord } from '../records';
import { METRICS, type MetricName } from '../train/metrics';

export const SHARE_FORMAT = 'orpheus-share';
/** The longest link fragment Orpheus writes or reads: links longer break in mail and chat. */
export const MAX_LINK_CHARS = 60_000;
const MAX_JSON_BYTES = 2 * 1024 * 1024;

export interface SharedModel {
  model: Pick<ModelRecord, 'id' | 'name' | 'task' | 'metric'>;
  version: ModelVersionRecord;
}

export class ShareError extends Error {
  override name = 'ShareError';
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array {
  const b = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}

/** The fragment payload of a version, or a ShareError when it is too large for a link. */
export async function shareLink(shared: SharedModel): Promise<string> {
  const text = await packFragment({
    format: SHARE_FORMAT,
    formatVersion: 1,
    model: shared.model,
    version: shared.version,
  });
  if (text.length > MAX_LINK_CHARS)
    throw new ShareError(
      `This version is too large for a link (${Math.ceil(text.length / 1000)} k characters; a link holds at most ${MAX_LINK_CHARS / 1000} k). Share it as a backup of one model instead (Backup screen).`,
    );
  return text;
}

const MODEL = v.strictObject({
  id: v.string(),
  name: v.pipe(v.string(), v.minLength(1)),
  task: v.picklist(['classification', 'regression']),
  metric: v.picklist(Object.keys(METRICS) as MetricName[]),
});

/**
 * A fragment's JSON: checked for length and characters, inflated (at most 2 MB), parsed, and
 * refused when a key could pollute prototypes. `what` names the link in messages ("model").
 */
export async function unpackFragment(text: string, what: string): Promise<unknown> {
  if (text.length > MAX_LINK_CHARS)
    throw new ShareError(
      `This link is too long (${Math.ceil(text.length / 1000)} k characters; Orpheus reads at most ${MAX_LINK_CHARS / 1000} k).`,
    );
  if (!/^[A-Za-z0-9_-]+$/.test(text))
    throw new ShareError(
      `This link is not a ${what} link from Orpheus: it has characters such links never contain. It may have been cut or changed when it was copied.`,
    );
  let json: string;
  try {
    const inflated = await transform(fromBase64url(text), new DecompressionStream('deflate-raw'));
    if (inflated.length > MAX_JSON_BYTES)
      throw new ShareError(`This link unpacks to more than a ${what} link can hold.`);
    json = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch (e) {
    if (e instanceof ShareError) throw e;
    throw new ShareError(
      `This link is damaged: its ${what} cannot be unpacked. It may have been cut short when it was copied; ask for the whole link again.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new ShareError(`This link is damaged: its ${what} is not readable.`);
  }
  try {
    checkKeys(parsed, 'The link');
  } catch (e) {
    throw new ShareError(
      `${(e as Error).message.replace(/: the file was altered\.$/, '')}: it was changed.`,
    );
  }
  return parsed;
}

/** A value as a fragment: JSON, deflate-raw, base64url. */
export async function packFragment(value: unknown): Promise<string> {
  return base64url(
    await transform(
      new TextEncoder().encode(JSON.stringify(value)),
      new CompressionStream('deflate-raw'),
    ),
  );
}

/** Reads a link's payload; a ShareError says what is wrong with it. */
export async function readShareLink(text: string): Promise<SharedModel> {
  const parsed = await unpackFragment(text, 'model');
  const p = parsed as Record<string, unknown>;
  if (p['format'] !== SHARE_FORMAT) throw new ShareError('This is not a model link from Orpheus.');
  if (p['formatVersion'] !== 1)
    throw new ShareError(
      `This link was made by a newer Orpheus (link format ${String(p['formatVersion'])}); update Orpheus to open it.`,
    );
  const m = v.safeParse(MODEL, p['model']);
  if (!m.success) throw new ShareError(`The link's model ${describeIssue(m.issues[0]!)}.`);
  try {
    return { model: m.output, version: checkRecord('modelVersions', p['version']) };
  } catch (e) {
    if (e instanceof RecordError) throw new ShareError(`The link's version ${e.message}.`);
    throw e;
  }
}
