import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { ANALYSERS, modelNeeds } from './analysers';
import { decodeForTagging, UndecodableError } from './decode';
import { TaggingEngine } from './engine';
import type { TagRequest, TagResult } from './messages';

// One picture at a time per worker, one worker per core: libvips and the wasm runtime each get one thread.
sharp.concurrency(1);

let engine: Promise<TaggingEngine> | null = null;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function tag(req: TagRequest): Promise<TagResult> {
  const started = Date.now();
  const base = { jobId: req.jobId, assetId: req.assetId, outputs: [], error: null, transientError: null };
  // The engine starts on the first picture; a failed start is tried again on the next.
  engine ??= TaggingEngine.start(modelNeeds());
  let eng: TaggingEngine;
  try {
    eng = await engine;
  } catch (err) {
    engine = null;
    return { ...base, backend: null, transientError: message(err), ms: Date.now() - started };
  }
  let image;
  try {
    image = await decodeForTagging(req.path, req.format, req.thumb);
  } catch (err) {
    if (err instanceof UndecodableError)
      return { ...base, backend: eng.backend, error: err.message, ms: Date.now() - started };
    return { ...base, backend: eng.backend, transientError: message(err), ms: Date.now() - started };
  }
  // Only what the owed analysers need: a picture owed only text recognition (after `ocr all`) runs no model.
  const owed = ANALYSERS.filter((a) => req.analysers.includes(a.name));
  const needs = modelNeeds(owed);
  const models =
    needs.objects || needs.faces || needs.descriptors ? await eng.detect(image) : { objects: [], faces: [] };
  const outputs: TagResult['outputs'] = [];
  const settings = {
    threshold: req.threshold,
    ocr: req.ocr,
    file: { path: req.path, name: path.basename(req.path), format: req.format },
  };
  for (const a of ANALYSERS) {
    if (!req.analysers.includes(a.name)) continue;
    outputs.push({
      name: a.name,
      modelVersion: a.modelVersion,
      output: await a.run(image, models, settings),
    });
  }
  return { ...base, backend: eng.backend, outputs, ms: Date.now() - started };
}

parentPort?.on('message', (req: TagRequest) => {
  tag(req).then(
    (res) => parentPort?.postMessage(res),
    (err: unknown) =>
      parentPort?.postMessage({
        jobId: req.jobId,
        assetId: req.assetId,
        backend: null,
        outputs: [],
        error: null,
        transientError: message(err),
        ms: 0,
      } satisfies TagResult),
  );
});
