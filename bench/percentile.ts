/** The p-th percentile of samples sorted ascending (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  const value = sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  if (value === undefined) throw new Error('no samples to take a percentile of');
  return value;
}
