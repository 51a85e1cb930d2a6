/** `[█████░░░░░]`: `done` of `total` as a bar of `width` characters. */
export function progressBar(done: number, total: number, width = 30): string {
  const filled = Math.min(width, Math.round((done / Math.max(1, total)) * width));
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}
