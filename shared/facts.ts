// Facts only some formats have, kept beside the common metadata fields (camera, date, size…)
// rather than as a column per format. The keys are listed here once, with how each reads, so the
// CLI, the inspector and the formats' readers agree; a reader may store only listed keys.

export type FactValue = string | number;
export type Facts = Partial<Record<FactKey, FactValue>>;

interface FactSpec {
  label: string;
  /** How a number reads; strings are shown as they are. */
  unit?: 'hz' | 'kbps' | 'fps' | 'count' | 'bytes' | 'degrees';
}

export const FACTS = {
  codec: { label: 'Codec' },
  frameRate: { label: 'Frame rate', unit: 'fps' },
  rotation: { label: 'Rotation', unit: 'degrees' },
  bitrate: { label: 'Bit rate', unit: 'kbps' },
  audioCodec: { label: 'Audio codec' },
  sampleRate: { label: 'Sample rate', unit: 'hz' },
  channels: { label: 'Channels', unit: 'count' },
  bitsPerSample: { label: 'Bits per sample', unit: 'count' },
  artist: { label: 'Artist' },
  album: { label: 'Album' },
  albumArtist: { label: 'Album artist' },
  track: { label: 'Track' },
  genre: { label: 'Genre' },
  year: { label: 'Year' },
  pages: { label: 'Pages', unit: 'count' },
  producer: { label: 'Producer' },
  application: { label: 'Application' },
  colorSpace: { label: 'Colour space' },
  bitDepth: { label: 'Bit depth', unit: 'count' },
  layers: { label: 'Layers', unit: 'count' },
  vertices: { label: 'Vertices', unit: 'count' },
  faces: { label: 'Faces', unit: 'count' },
  triangles: { label: 'Triangles', unit: 'count' },
  materials: { label: 'Materials', unit: 'count' },
  meshes: { label: 'Meshes', unit: 'count' },
  bounds: { label: 'Bounding size' },
  units: { label: 'Units' },
} as const satisfies Record<string, FactSpec>;

export type FactKey = keyof typeof FACTS;

export function isFactKey(key: string): key is FactKey {
  return Object.hasOwn(FACTS, key);
}

/** Only listed keys with a finite number or a non-empty string survive: what a reader may store. */
export function cleanFacts(input: Record<string, unknown>): Facts {
  const out: Facts = {};
  for (const [k, v] of Object.entries(input)) {
    if (!isFactKey(k)) continue;
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
    else if (typeof v === 'string' && v.trim()) out[k] = v.trim().slice(0, 500);
  }
  return out;
}

/** Facts as label/value lines, in the order of FACTS. */
export function factLines(facts: Facts): { label: string; value: string }[] {
  const lines: { label: string; value: string }[] = [];
  for (const key of Object.keys(FACTS) as FactKey[]) {
    const v = facts[key];
    if (v === undefined) continue;
    const spec: FactSpec = FACTS[key];
    lines.push({ label: spec.label, value: typeof v === 'string' ? v : formatNumber(v, spec.unit) });
  }
  return lines;
}

function formatNumber(v: number, unit: FactSpec['unit']): string {
  switch (unit) {
    case 'hz':
      return v >= 1000 ? `${(v / 1000).toFixed(v % 1000 ? 1 : 0)} kHz` : `${v} Hz`;
    case 'kbps':
      return `${Math.round(v)} kbit/s`;
    case 'fps':
      return `${Number(v.toFixed(3))} fps`;
    case 'bytes':
      return `${v} B`;
    case 'degrees':
      return `${v}°`;
    default:
      return Number.isInteger(v) ? v.toLocaleString('en-US') : String(Number(v.toFixed(3)));
  }
}
