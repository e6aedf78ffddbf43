// Real photographs whose content is known, from Debian's python3-skimage (installed by .ci/run):
// the tagging tests and benchmark assert the labels found in them.
import fs from 'node:fs';
import path from 'node:path';

export const SKIMAGE_DATA = '/usr/lib/python3/dist-packages/skimage/data';

/** A known photo's path; throws with the package to install when it is absent. */
export function knownPhoto(name: string): string {
  const p = path.join(SKIMAGE_DATA, name);
  if (!fs.existsSync(p)) throw new Error(`${p} is missing: apt-get install python3-skimage (.ci/run does)`);
  return p;
}

/** Photos and an object each one shows, as COCO names it. */
export const KNOWN_OBJECTS: readonly { file: string; label: string }[] = [
  { file: 'astronaut.png', label: 'person' },
  { file: 'coffee.png', label: 'cup' },
  { file: 'horse.png', label: 'horse' },
  { file: 'motorcycle_left.png', label: 'motorcycle' },
];
