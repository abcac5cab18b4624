/** The name a person goes by in Orpheus: recorded as the author of every record they make. */

export const MAX_NAME_LENGTH = 60;

/** Offered on first start; the person can keep it or type their own. */
export const DEFAULT_NAME = 'Guest';

export type NameCheck = { ok: true; name: string } | { ok: false; message: string };

/** Trims and checks a name typed by a person. */
export function checkUserName(raw: string): NameCheck {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name.length === 0) return { ok: false, message: 'Type a name, for example your first name.' };
  if (name.length > MAX_NAME_LENGTH)
    return { ok: false, message: `Keep the name to ${MAX_NAME_LENGTH} characters or fewer.` };
  // Control characters would make the event log and exports unreadable.
  if (/\p{Cc}/u.test(name))
    return { ok: false, message: 'The name has an invisible control character; retype it.' };
  return { ok: true, name };
}
