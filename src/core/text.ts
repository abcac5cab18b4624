/** Text for drawings: labels wrapped to the room an SVG gives them. */

/**
 * A label in lines of at most `per` characters, broken between words, in at most `max` lines
 * (the last one ends in "…" only when the label does not fit): drawings (a tree's nodes, a
 * plot's axis names) wrap instead of cutting "RM_job_opportunities is …" short. The element's
 * accessible name keeps the whole text.
 */
export function labelLines(text: string, per = 24, max = 2): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= per) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (line.length > per) {
      lines.push(line.slice(0, per));
      line = line.slice(per);
    }
  }
  if (line) lines.push(line);
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  const last = kept[max - 1]!;
  kept[max - 1] = `${last.length >= per ? last.slice(0, per - 1) : last}…`;
  return kept;
}
