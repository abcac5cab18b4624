/**
 * Axis ticks a chart can key and label: a scale's ticks with repeats dropped. d3 returns the
 * same value twice when a domain is a few units in the last place wide (two trials scoring
 * 0.9416666666666667 and 0.9416666666666668), and two ticks that read alike are one to a person.
 */
import { formatNumber } from './format';

export function ticksOf(
  scale: { ticks(count?: number): number[] },
  count: number,
  label: (t: number) => string = formatNumber,
): number[] {
  const seen = new Set<string>();
  return scale.ticks(count).filter((t) => {
    const text = label(t);
    if (seen.has(text)) return false;
    seen.add(text);
    return true;
  });
}
