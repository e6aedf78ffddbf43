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
