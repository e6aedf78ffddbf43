/** The decoder family a file is handled by: what its content is, whatever its name says. */
export type FormatId =
  | 'jpeg'
  | 'png'
  | 'webp'
  | 'gif'
  | 'tiff'
  | 'avif'
  | 'heic'
  | 'svg'
  | 'raw'
  | 'psd'
  | 'video'
  | 'pdf'
  | 'other';
