import type { AssetType } from '../../../../shared/model';
import type { FormatId } from '../../formats/format-id';

export type { FormatId };

const BY_EXT: Record<string, FormatId> = {
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jpe: 'jpeg',
  jfif: 'jpeg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  tif: 'tiff',
  tiff: 'tiff',
  avif: 'avif',
  heic: 'heic',
  heif: 'heic',
  hif: 'heic',
  svg: 'svg',
  cr2: 'raw',
  cr3: 'raw',
  crw: 'raw',
  nef: 'raw',
  nrw: 'raw',
  arw: 'raw',
  srf: 'raw',
  sr2: 'raw',
  dng: 'raw',
  raf: 'raw',
  orf: 'raw',
  rw2: 'raw',
  pef: 'raw',
  srw: 'raw',
  x3f: 'raw',
  '3fr': 'raw',
  iiq: 'raw',
  rwl: 'raw',
  erf: 'raw',
  kdc: 'raw',
  mrw: 'raw',
  psd: 'psd',
  psb: 'psd',
  mp4: 'video',
  m4v: 'video',
  mov: 'video',
  mkv: 'video',
  webm: 'video',
  avi: 'video',
  mts: 'video',
  m2ts: 'video',
  '3gp': 'video',
  mpg: 'video',
  mpeg: 'video',
  wmv: 'video',
  asf: 'video',
  ogv: 'video',
  mp3: 'audio',
  flac: 'audio',
  wav: 'audio',
  ogg: 'audio',
  oga: 'audio',
  opus: 'audio',
  m4a: 'audio',
  m4b: 'audio',
  aac: 'audio',
  ape: 'audio',
  aif: 'audio',
  aiff: 'audio',
  aifc: 'audio',
  wv: 'audio',
  amr: 'audio',
  pdf: 'pdf',
  gltf: 'model3d',
  glb: 'model3d',
  obj: 'model3d',
  stl: 'model3d',
  ply: 'model3d',
  fbx: 'model3d',
  usdz: 'model3d',
  blend: 'model3d',
  // .ai is not listed: it is a PDF or (before Illustrator 9) an EPS underneath, and the bytes say which.
  eps: 'eps',
  epsf: 'eps',
  epsi: 'eps',
  ps: 'eps',
  indd: 'indd',
  indt: 'indd',
  xcf: 'xcf',
  rtf: 'rtf',
  ...Object.fromEntries(
    [
      ...['docx', 'docm', 'dotx', 'xlsx', 'xlsm', 'xltx', 'pptx', 'pptm', 'potx', 'ppsx'],
      ...['odt', 'ott', 'ods', 'ots', 'odp', 'otp', 'odg'],
      ...['pages', 'numbers', 'key'],
    ].map((ext) => [ext, 'office' as const]),
  ),
  bmp: 'bmp',
  dib: 'bmp',
  ico: 'ico',
  cur: 'ico',
  pcx: 'pcx',
  pbm: 'pnm',
  pgm: 'pnm',
  ppm: 'pnm',
  pnm: 'pnm',
  pam: 'pnm',
  pfm: 'pnm',
  jp2: 'jp2',
  j2k: 'jp2',
  j2c: 'jp2',
  jpc: 'jp2',
  jpf: 'jp2',
  jpx: 'jp2',
  jxl: 'jxl',
  exr: 'exr',
  hdr: 'hdr',
  rgbe: 'hdr',
};

const DESIGN_EXT = new Set([
  'ai',
  'eps',
  'indd',
  'idml',
  'sketch',
  'fig',
  'xd',
  'afdesign',
  'afphoto',
  'cdr',
]);

export function formatFromExt(ext: string): FormatId {
  return BY_EXT[ext.toLowerCase()] ?? 'other';
}

export function typeOf(format: FormatId, ext: string): AssetType {
  switch (format) {
    case 'raw':
      return 'raw';
    case 'video':
      return 'video';
    case 'audio':
      return 'audio';
    case 'psd':
    case 'svg':
    case 'pdf':
    case 'eps':
    case 'indd':
    case 'xcf':
      return 'design';
    case 'model3d':
      return '3d';
    // Office, ODF and iWork documents and RTF stay `other`: the asset types are for what a DAM
    // previews as pictures; a presentation is found by ext:pptx, its properties and its words.
    case 'office':
    case 'rtf':
      return 'other';
    case 'other':
      return DESIGN_EXT.has(ext.toLowerCase()) ? 'design' : 'other';
    default:
      return 'image';
  }
}

/**
 * Formats we can draw a thumbnail for; the rest get a type icon. For EPS, InDesign and Office
 * files the picture is one the file embeds (or Ghostscript's, when installed): the renderer says
 * NothingToDrawError when there is none, which is not a fault of the file.
 */
export function hasRenderer(format: FormatId): boolean {
  return format !== 'other' && format !== 'rtf' && format !== 'xcf';
}
