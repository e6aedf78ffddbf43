// Figures as every side prints them (the CLI, the core's messages, the UI).

/** 1024-based, one decimal above bytes: "512 B", "7.8 KB", "10.0 GB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/**
 * The camera as a person names it: "Canon" + "Canon EOS 40D" is "Canon EOS 40D", and "NIKON
 * CORPORATION" + "NIKON D70" is "NIKON D70" (most models already start with the maker's brand).
 */
export function cameraName(make: string | null, model: string | null): string | null {
  if (!model) return make;
  if (!make) return model;
  const brand = make.trim().split(/\s+/)[0]!.toLowerCase();
  return model.toLowerCase().startsWith(brand) ? model : `${make} ${model}`;
}
