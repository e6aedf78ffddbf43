import type { Analyser } from './analyser';

/** Detections of one label kept per picture (a crowd is tagged "person" without 300 boxes). */
const MAX_PER_LABEL = 10;

/** COCO objects (centernet in @vladmandic/human): label, confidence and box, above the user's threshold. */
export const objectsAnalyser: Analyser = {
  name: 'objects',
  modelVersion: 'human-3.3.6/centernet-1',
  needs: { objects: true },
  run(_image, models, settings) {
    const perLabel = new Map<string, number>();
    const tags = models.objects
      .filter((o) => o.score >= settings.threshold)
      .sort((a, b) => b.score - a.score)
      .filter((o) => {
        const n = perLabel.get(o.label) ?? 0;
        perLabel.set(o.label, n + 1);
        return n < MAX_PER_LABEL;
      })
      .map((o) => ({
        kind: 'object' as const,
        label: o.label,
        confidence: Math.round(o.score * 1000) / 1000,
        box: o.box,
        model: 'centernet',
      }));
    return Promise.resolve({ tags });
  },
};
