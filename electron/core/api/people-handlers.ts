import type { Handlers } from '../../../shared/contract';
import type { Library } from '../library';

/** People: clusters of faces, their names, merging, splitting and removing faces. */
export function peopleHandlers(
  lib: Library,
): Pick<
  Handlers,
  'people.list' | 'people.faces' | 'people.name' | 'people.merge' | 'people.split' | 'people.removeFace'
> {
  return {
    'people.list': () => lib.people.list(),
    'people.faces': (i) => lib.faces(i),
    'people.name': (i) => {
      if (i.name === null) {
        lib.people.unname(i.id);
        return { personId: i.id };
      }
      return lib.people.name(i.id, i.name);
    },
    'people.merge': (i) => lib.people.merge(i.into, i.from),
    'people.split': (i) => lib.people.split(i.faceId),
    'people.removeFace': (i) => {
      lib.people.removeFace(i.faceId);
      return { removed: i.faceId };
    },
  };
}
