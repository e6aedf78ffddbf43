import { describe, expect, it } from 'vitest';
import { editWords, hasWord } from '../../shared/keywords';

describe('one keyword rule for the core and the UI', () => {
  it('adds a word once in any case, keeps the first spelling, removes in any case', () => {
    expect(editWords(['Bus', 'London'], ['bus', ' red ', 'RED', ''])).toEqual(['Bus', 'London', 'red']);
    expect(editWords(['Bus', 'London'], [], ['BUS'])).toEqual(['London']);
    // Adds first, then removals: a word both added and removed is gone.
    expect(editWords(['a'], ['b'], ['B'])).toEqual(['a']);
    expect(hasWord(['Bus'], ' bus')).toBe(true);
    expect(hasWord(['Bus'], 'buses')).toBe(false);
  });
});
