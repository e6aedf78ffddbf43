import type { Analyser, AnalyserStore, ModelNeeds } from './analyser';
import { coloursAnalyser, coloursStore } from './colours';
import { objectsAnalyser } from './objects';
import { facesAnalyser, facesStore } from './faces';
import { textAnalyser, textStore } from './text';

/**
 * Every analyser a tagging job runs, in order (worker side). Listed here once: the main thread
 * reads names and model versions from the same list to know what each asset is owed. An analyser
 * module must be cheap to import (load heavy libraries inside run, once).
 */
export const ANALYSERS: readonly Analyser[] = [
  objectsAnalyser,
  facesAnalyser as Analyser,
  coloursAnalyser as Analyser,
  textAnalyser as Analyser,
];

/** Main-side keepers of analysers' `extra` (see AnalyserStore), by analyser name. */
export const ANALYSER_STORES: readonly AnalyserStore[] = [
  facesStore as AnalyserStore,
  coloursStore as AnalyserStore,
  textStore as AnalyserStore,
];

/** The shared models the listed analysers need. */
export function modelNeeds(analysers: readonly Analyser[] = ANALYSERS): ModelNeeds {
  return {
    objects: analysers.some((a) => a.needs.objects),
    faces: analysers.some((a) => a.needs.faces),
    descriptors: analysers.some((a) => a.needs.descriptors),
  };
}
