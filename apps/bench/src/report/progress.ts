/** A one-line progress bar on stderr, only when stderr is a terminal. */
export class Progress {
  private readonly enabled = Boolean(process.stderr.isTTY);
  private label = "";

  start(label: string): void {
    this.label = label;
    this.update(0);
  }

  update(fraction: number): void {
    if (!this.enabled) return;
    const width = 30;
    const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
    process.stderr.write(`\r${"█".repeat(filled)}${"░".repeat(width - filled)} ${this.label}\x1b[K`);
  }

  done(): void {
    if (this.enabled) process.stderr.write("\r\x1b[K");
  }
}
