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
