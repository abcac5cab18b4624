/** The current time as ISO-8601 UTC (a plain module: rune files keep no Date objects). */
export function isoNow(): string {
  return new Date().toISOString();
}
