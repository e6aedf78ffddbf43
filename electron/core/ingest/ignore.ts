/** OS and NAS clutter that is never a user's asset. */
const JUNK_FILES = new Set(['.ds_store', 'thumbs.db', 'ehthumbs.db', 'desktop.ini', 'icon\r', '.localized']);
const JUNK_DIRS = new Set([
  '@eadir',
  '#recycle',
  '#snapshot',
  '$recycle.bin',
  'system volume information',
  'lost+found',
]);

export function isIgnoredFile(name: string): boolean {
  if (name.startsWith('.')) return true;
  const lower = name.toLowerCase();
  if (JUNK_FILES.has(lower)) return true;
  // Sidecars belong to their asset: they are read with it, not catalogued on their own.
  return lower.endsWith('.xmp');
}

/** An XMP sidecar (photo.xmp or photo.jpg.xmp): read with its asset, watched for other machines' edits. */
export function isSidecarName(name: string): boolean {
  return !name.startsWith('.') && name.length > 4 && name.toLowerCase().endsWith('.xmp');
}

export function isIgnoredDir(name: string): boolean {
  return name.startsWith('.') || JUNK_DIRS.has(name.toLowerCase());
}
