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
  /** glTF/GLB, OBJ, STL, PLY, FBX, USDZ, BLEND: one family, the container told apart by formats/mesh. */
  | 'model3d'
  | 'eps'
  | 'indd'
  | 'xcf'
  | 'office'
  | 'rtf'
  | 'other';
