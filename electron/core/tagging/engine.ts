import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Detection, FaceDetection, ModelNeeds, ModelResults } from './analyser';
import { installWasmConcat, type KernelRegistry } from './wasm-concat';

/**
 * The shared models, in a worker thread: `@vladmandic/human` on TensorFlow.js, native
 * (`@tensorflow/tfjs-node`, an optional dependency) when it loads, else WebAssembly with SIMD.
 * Never the pure-JS cpu backend (about 35× slower): the engine refuses to start instead.
 * Models and the wasm binaries come only from the npm packages' own files; any other fetch fails.
 */

/** The few parts of human and tfjs this engine uses (their bundles' types are not needed). */
interface Tf extends KernelRegistry {
  getBackend(): string;
  tensor3d(data: Float32Array, shape: [number, number, number], dtype: 'float32'): { dispose(): void };
  engine(): { memory(): { numTensors: number } };
  io: { registerLoadRouter(router: (url: string | string[]) => unknown): void };
}
interface HumanBox {
  0: number;
  1: number;
  2: number;
  3: number;
}
interface HumanResult {
  object: { label: string; score: number; boxRaw: HumanBox }[];
  face: { score: number; boxScore?: number; boxRaw: HumanBox; embedding?: number[] }[];
  error?: string | null;
}
interface HumanInstance {
  tf: Tf;
  init(): Promise<void>;
  load(): Promise<void>;
  detect(input: unknown): Promise<HumanResult>;
  models: { loaded(): string[] };
}

const requireHere = createRequire(__filename);

/** Objects below this score are never returned (the user's threshold applies on top, per analyser). */
export const OBJECT_FLOOR = 0.1;
/** Faces less sure than this are not returned (blazeface finds faces in flags and suits near 0.35). */
export const MIN_FACE_SCORE = 0.5;
/** A face under this many pixels across (in the picture as decoded) has too few for a descriptor. */
export const MIN_FACE_PIXELS = 24;

/** Where the packages' files are (their `exports` do not list these files: found by path). */
function packageDir(spec: string, entry: string): string {
  const resolved = requireHere.resolve(spec);
  let dir = path.dirname(resolved);
  while (!fs.existsSync(path.join(dir, entry)) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  if (!fs.existsSync(path.join(dir, entry))) throw new Error(`${spec} is installed without ${entry}`);
  return dir;
}

/** tfjs loads `file://` model URLs only with a handler: this one reads model.json and its weight files. */
function fileLoader(url: string | string[]): unknown {
  const u = Array.isArray(url) ? url[0] : url;
  if (typeof u !== 'string' || !u.startsWith('file://')) return null;
  const file = decodeURIComponent(u.slice('file://'.length));
  return {
    load: async () => {
      const json = JSON.parse(await fs.promises.readFile(file, 'utf8')) as {
        modelTopology: unknown;
        format?: string;
        generatedBy?: string;
        convertedBy?: string;
        signature?: unknown;
        userDefinedMetadata?: unknown;
        modelInitializer?: unknown;
        weightsManifest: { paths: string[]; weights: unknown[] }[];
      };
      const dir = path.dirname(file);
      const specs: unknown[] = [];
      const parts: Buffer[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) parts.push(await fs.promises.readFile(path.join(dir, p)));
      }
      const all = Buffer.concat(parts);
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        signature: json.signature,
        userDefinedMetadata: json.userDefinedMetadata,
        modelInitializer: json.modelInitializer,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.length),
      };
    },
  };
}

/**
 * Nothing of tagging goes to the network: a fetch of anything but a file fails loudly (human
 * defaults its wasm path to a CDN; a wrong setting must not quietly download).
 */
function guardFetch(): void {
  const original = globalThis.fetch;
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith('file://')) throw new Error(`tagging never downloads (refused ${url})`);
    return original(input, init);
  }) as typeof fetch;
}

export class TaggingEngine {
  /**
   * The picture as the models take it (float RGB, 0–255), one buffer for the worker's life: a
   * fresh 12 MB array per picture was garbage that made V8 collect often (a sixth of the CPU).
   */
  private input = new Float32Array(0);

  private constructor(
    private readonly human: HumanInstance,
    readonly backend: string,
    private readonly needs: ModelNeeds,
  ) {}

  /** Loads the models the analysers need; throws a one-line reason when no fast backend starts. */
  static async start(needs: ModelNeeds): Promise<TaggingEngine> {
    guardFetch();
    const humanDir = packageDir('@vladmandic/human', 'models');
    let HumanClass: new (config: object) => HumanInstance;
    let backend: 'tensorflow' | 'wasm';
    let wasmPath = '';
    try {
      requireHere('@tensorflow/tfjs-node');
      HumanClass = (requireHere(path.join(humanDir, 'dist', 'human.node.js')) as { Human: typeof HumanClass })
        .Human;
      backend = 'tensorflow';
    } catch {
      // The native build is optional and usually absent (its install downloads libtensorflow).
      HumanClass = (
        requireHere(path.join(humanDir, 'dist', 'human.node-wasm.js')) as { Human: typeof HumanClass }
      ).Human;
      backend = 'wasm';
      wasmPath = path.join(packageDir('@tensorflow/tfjs-backend-wasm', 'dist'), 'dist') + path.sep;
    }
    const human = new HumanClass({
      backend,
      wasmPath,
      modelBasePath: `file://${path.join(humanDir, 'models')}${path.sep}`,
      debug: false,
      async: false,
      warmup: 'none',
      cacheSensitivity: 0,
      filter: { enabled: false },
      face: {
        enabled: !!(needs.faces || needs.descriptors),
        // Faces that will not be kept are dropped before their descriptor (~85 ms each on wasm) is
        // computed. human rounds the score to 0.01 and squares the box to whole pixels: the limits sit
        // just below ours, so every face kept is still found (NMS only lets surer boxes suppress).
        detector: {
          rotation: false,
          maxDetected: 50,
          minConfidence: MIN_FACE_SCORE - 0.01,
          minSize: MIN_FACE_PIXELS - 2,
          return: false,
        },
        mesh: { enabled: false },
        iris: { enabled: false },
        attention: { enabled: false },
        description: { enabled: !!needs.descriptors },
        emotion: { enabled: false },
        antispoof: { enabled: false },
        liveness: { enabled: false },
      },
      body: { enabled: false },
      hand: { enabled: false },
      gesture: { enabled: false },
      segmentation: { enabled: false },
      object: { enabled: !!needs.objects, minConfidence: OBJECT_FLOOR, maxDetected: 50 },
    });
    human.tf.io.registerLoadRouter(fileLoader);
    await human.init();
    const ran = human.tf.getBackend();
    if (ran !== backend)
      throw new Error(
        `tagging could not start the ${backend} backend (got ${ran || 'none'}); it does not run on the slow cpu backend`,
      );
    if (backend === 'wasm') installWasmConcat(human.tf);
    await human.load();
    // human.load() only logs a model that failed to load: check each one is there.
    const loaded = human.models.loaded();
    const want = [
      ...(needs.objects ? ['centernet'] : []),
      ...(needs.faces || needs.descriptors ? ['blazeface'] : []),
      ...(needs.descriptors ? ['faceres'] : []),
    ];
    const missing = want.filter((m) => !loaded.includes(m));
    if (missing.length) throw new Error(`tagging models did not load: ${missing.join(', ')}`);
    return new TaggingEngine(human, backend, needs);
  }

  /** Runs every shared model once over the picture. */
  async detect(image: { data: Uint8Array; width: number; height: number }): Promise<ModelResults> {
    if (!this.needs.objects && !this.needs.faces && !this.needs.descriptors)
      return { objects: [], faces: [] };
    const n = image.width * image.height * 3;
    if (this.input.length < n) this.input = new Float32Array(n);
    const input = this.input.length === n ? this.input : this.input.subarray(0, n);
    input.set(image.data);
    // The backend copies the values into its own memory at once: the buffer is free again on return.
    const tensor = this.human.tf.tensor3d(input, [image.height, image.width, 3], 'float32');
    try {
      const r = await this.human.detect(tensor);
      if (r.error) throw new Error(r.error);
      const box = (b: HumanBox) => normalBox(b);
      const objects: Detection[] = r.object.map((o) => ({
        label: o.label,
        score: o.score,
        box: box(o.boxRaw),
      }));
      const faces: FaceDetection[] = r.face.map((f) => ({
        score: f.boxScore ?? f.score,
        box: box(f.boxRaw),
        descriptor: this.needs.descriptors && f.embedding?.length ? Array.from(f.embedding) : null,
      }));
      return { objects, faces };
    } finally {
      tensor.dispose();
    }
  }
}

function clamp(v: number): number {
  return Math.round(Math.min(1, Math.max(0, v)) * 10000) / 10000;
}

/** A model's box ([x, y, w, h] of 0..1, which may overhang the picture's edges) cut to the picture. */
function normalBox(b: HumanBox): { x: number; y: number; w: number; h: number } {
  const x = clamp(b[0]);
  const y = clamp(b[1]);
  return { x, y, w: clamp(clamp(b[0] + b[2]) - x), h: clamp(clamp(b[1] + b[3]) - y) };
}
