import { describe, expect, it } from 'vitest';
import { cameraName } from '../../shared/format';
import { editDistance, nearest } from '../../shared/suggest';

describe('cameraName (the CLI and the UI alike)', () => {
  it('names the camera once when the model repeats the maker', () => {
    expect(cameraName('Canon', 'Canon EOS 40D')).toBe('Canon EOS 40D');
    expect(cameraName('NIKON CORPORATION', 'NIKON D70')).toBe('NIKON D70');
    expect(cameraName('OLYMPUS CORPORATION', 'C8080WZ')).toBe('OLYMPUS CORPORATION C8080WZ');
    expect(cameraName('SONY', null)).toBe('SONY');
    expect(cameraName(null, 'HDR-HC3')).toBe('HDR-HC3');
    expect(cameraName(null, null)).toBeNull();
  });
});

describe('nearest', () => {
  it('finds a slip of a letter or two, and nothing for an unrelated word', () => {
    expect(editDistance('camra', 'camera')).toBe(1);
    expect(editDistance('cmaera', 'camera')).toBe(1); // two neighbours swapped
    expect(nearest('camra', ['type', 'camera'])).toBe('camera');
    expect(nearest('Lable', ['label', 'lens'])).toBe('label');
    expect(nearest('foo', ['type', 'camera', 'label'])).toBeNull();
  });
});
