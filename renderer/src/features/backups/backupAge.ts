import { STALE_AFTER_HOURS } from '../../../../shared/backups';

/** "3 hours ago", and whether the clinic should worry: no backup, or none for over a day. */
export function backupAge(lastAt: string | null, now: Date): { text: string; stale: boolean } {
  if (lastAt === null) return { text: 'No backup yet', stale: true };
  const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(lastAt)) / 60_000));
  const stale = minutes >= STALE_AFTER_HOURS * 60;
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  if (minutes < 1) return { text: 'Just now', stale };
  if (minutes < 60) return { text: plural(minutes, 'minute'), stale };
  if (minutes < 48 * 60) return { text: plural(Math.floor(minutes / 60), 'hour'), stale };
  return { text: plural(Math.floor(minutes / 1440), 'day'), stale };
}

/** 1.2 MB */
export function fileSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
