/** A one-line progress bar on stderr, only when stderr is a terminal (never in pipes or logs). */
export class ProgressBar {
  private lastLen = 0;
  readonly enabled: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.enabled = Boolean(stream.isTTY);
  }

  update(label: string, done: number, total: number, perSecond?: number): void {
    if (!this.enabled) return;
    const width = 28;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(frac * width);
    const rate = perSecond !== undefined ? ` · ${perSecond.toFixed(1)}/s` : '';
    const line = `${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}${rate}`;
    this.stream.write(`\r${line}${' '.repeat(Math.max(0, this.lastLen - line.length))}`);
    this.lastLen = line.length;
  }

  text(line: string): void {
    if (!this.enabled) return;
    this.stream.write(`\r${line}${' '.repeat(Math.max(0, this.lastLen - line.length))}`);
    this.lastLen = line.length;
  }

  clear(): void {
    if (!this.enabled || this.lastLen === 0) return;
    this.stream.write(`\r${' '.repeat(this.lastLen)}\r`);
    this.lastLen = 0;
  }
}
