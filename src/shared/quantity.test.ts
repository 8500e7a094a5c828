import { describe, expect, it } from 'vitest';
import {
  QuantityError,
  compareQuantities,
  formatBytes,
  isQuantity,
  parseQuantity,
  quantityMilliValue,
} from './quantity';

describe('parseQuantity', () => {
  it.each([
    ['100m', 0.1],
    ['1', 1],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['2k', 2000],
    ['1e3', 1000],
    ['5E-2', 0.05],
    ['+3', 3],
    ['-1', -1],
    ['250u', 0.00025],
  ])('reads %s', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 9);
  });

  it('accepts JSON numbers, as the API does for cpu: 1', () => {
    expect(parseQuantity(2)).toBe(2);
  });

  it.each(['', 'abc', '1Gb', '1.2.3', '1 Gi', 'Mi', '1KI'])('rejects %j', (text) => {
    expect(() => parseQuantity(text)).toThrow(QuantityError);
    expect(isQuantity(text)).toBe(false);
  });

  it('explains the expected syntax', () => {
    expect(() => parseQuantity('abc')).toThrow(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  });
});

describe('comparisons and display', () => {
  it('compares across units', () => {
    expect(compareQuantities('1', '1000m')).toBe(0);
    expect(compareQuantities('500m', '1')).toBeLessThan(0);
    expect(compareQuantities('1Gi', '1G')).toBeGreaterThan(0);
  });

  it('gives millis rounded up', () => {
    expect(quantityMilliValue('0.1')).toBe(100);
    expect(quantityMilliValue('1')).toBe(1000);
    expect(quantityMilliValue('1u')).toBe(1);
  });

  it('formats bytes with binary suffixes', () => {
    expect(formatBytes(1536)).toBe('1.5Ki');
    expect(formatBytes(128 * 2 ** 20)).toBe('128Mi');
    expect(formatBytes(12)).toBe('12');
  });
});
