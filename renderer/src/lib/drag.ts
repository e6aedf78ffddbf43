/** The drag data type of assets dragged inside the app (grid → a collection): their ids as JSON. */
export const ASSET_DRAG_TYPE = 'application/x-tessera-assets';

/** The ids a drop carries, or none when it carries something else (files, text, a bad value). */
export function draggedIds(data: DataTransfer): number[] {
  try {
    const v: unknown = JSON.parse(data.getData(ASSET_DRAG_TYPE) || '[]');
    return Array.isArray(v) ? v.filter((x): x is number => Number.isSafeInteger(x) && x > 0) : [];
  } catch {
    return [];
  }
}
