import { scaleLinear } from 'd3-scale';
import { ticksOf } from '../../src/ui/widgets/ticks';
import { describe, expect, it } from 'vitest';
import { formatNumber, formatOutput } from '../../src/ui/widgets/format';

describe('numbers for people', () => {
  it('gives four significant digits, powers of ten for tiny values, integers whole', () => {
    expect(formatNumber(0.008632221076331015)).toBe('0.008632');
    expect(formatNumber(2e-15)).toBe('2.0e-15');
    expect(formatNumber(1234567)).toBe((1234567).toLocaleString());
  });

  it('shortens a regression output, never a class label or a short number', () => {
    expect(formatOutput('262.7567567567568')).toBe(formatNumber(262.7567567567568));
    expect(formatOutput('-0.12345678')).toBe(formatNumber(-0.12345678));
    expect(formatOutput('setosa')).toBe('setosa');
    expect(formatOutput('1')).toBe('1');
    expect(formatOutput('4.61005')).toBe('4.61005');
    expect(formatOutput('1.2.3.4567890')).toBe('1.2.3.4567890');
  });
});

describe('axis ticks', () => {
  it('never repeat, even over a domain a few units in the last place wide', () => {
    const v = 0.9416666666666667;
    const scale = scaleLinear()
      .domain([v, v + Number.EPSILON / 2])
      .nice();
    // d3 itself repeats values here: a keyed list of them would break.
    const raw = scale.ticks(3);
    expect(new Set(raw).size).toBeLessThan(raw.length);
    const ticks = ticksOf(scale, 3);
    expect(ticks.length).toBeGreaterThan(0);
    expect(new Set(ticks.map((t) => formatNumber(t))).size).toBe(ticks.length);
    // An ordinary domain keeps all of d3's ticks.
    expect(ticksOf(scaleLinear().domain([0, 1]), 5)).toEqual(scaleLinear().domain([0, 1]).ticks(5));
  });
});
