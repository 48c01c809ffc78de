import { describe, expect, it } from 'vitest';
import { parseCount } from '../../../src/data/row-reader';

describe('parseCount: whole numbers of bicycles, written plainly', () => {
  it.each([
    ['3', 3],
    ['03', 3],
    ['3.0', 3],
    ['3.00', 3],
    ['0', 0],
    ['-0', 0],
    ['1234', 1234],
  ])('accepts %j as %d', (s, v) => {
    const r = parseCount(s, 'Comptage horaire');
    expect(r).toBe(v);
    expect(Object.is(r, -0)).toBe(false);
  });

  it.each([
    ['', 'missing count'],
    ['  ', 'missing count'],
    ['+3', 'count not a plain whole number'],
    ['0x1F', 'count not a plain whole number'],
    ['2.5', 'count not a plain whole number'],
    ['1e12', 'count not a plain whole number'],
    ['1e308', 'count not a plain whole number'],
    [' 3', 'count not a plain whole number'],
    ['3.', 'count not a plain whole number'],
    ['abc', 'non-numeric count'],
    ['-3', 'negative count'],
  ])('refuses %j: %s', (s, reason) => {
    expect(parseCount(s, 'Comptage horaire')).toEqual({ reason, column: 'Comptage horaire' });
  });
});
