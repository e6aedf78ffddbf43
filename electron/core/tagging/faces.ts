import type { FaceBox } from '../../../shared/people';
import type { Analyser, AnalyserStore } from './analyser';
import { People } from '../people/service';
import { MIN_FACE_PIXELS, MIN_FACE_SCORE } from './engine';

const MODEL = 'blazeface+faceres';

/** What the faces analyser keeps beside its tags: every face with its descriptor, for clustering. */
export interface FacesExtra {
  faces: { box: FaceBox; score: number; descriptor: number[] | null }[];
}

/** Faces (blazeface) with their descriptors (faceres, 1024 floats): tags of kind `face`, clustered into people. */
export const facesAnalyser: Analyser<FacesExtra> = {
  name: 'faces',
  modelVersion: 'human-3.3.6/blazeface+faceres-1',
  needs: { faces: true, descriptors: true },
  run(image, models) {
    const faces = models.faces.filter(
      (f) => f.score >= MIN_FACE_SCORE && f.box.w * image.width >= MIN_FACE_PIXELS && f.box.h > 0,
    );
    return Promise.resolve({
      tags: faces.map((f) => ({
        kind: 'face' as const,
        label: 'face',
        confidence: Math.round(f.score * 1000) / 1000,
        box: f.box,
        model: MODEL,
      })),
      extra: { faces: faces.map((f) => ({ box: f.box, score: f.score, descriptor: f.descriptor })) },
    });
  },
};

/** Main side: the faces found are stored and clustered across the catalogue (people/service.ts). */
export const facesStore: AnalyserStore<FacesExtra> = {
  name: 'faces',
  store(db, assetId, fileId, extra) {
    // No extra: the picture could not be read; the faces found before stay until it can.
    if (!extra) return;
    People.of(db).storeDetected(assetId, fileId, extra.faces, MODEL);
  },
};
