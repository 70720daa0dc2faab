import { describe, expect, it } from 'vitest';
import { backupAge, fileSize } from './backupAge';

const now = new Date('2026-11-29T21:00:00Z');

describe('the last backup age', () => {
  it('warns when there is none, or none for over a day', () => {
    expect(backupAge(null, now)).toEqual({ text: 'No backup yet', stale: true });
    expect(backupAge('2026-11-28T18:59:00Z', now)).toEqual({ text: '26 hours ago', stale: true });
    expect(backupAge('2026-11-25T09:00:00Z', now)).toEqual({ text: '4 days ago', stale: true });
  });

  it('is calm for a backup of today or last night', () => {
    expect(backupAge('2026-11-29T20:59:40Z', now)).toEqual({ text: 'Just now', stale: false });
    expect(backupAge('2026-11-29T20:59:00Z', now)).toEqual({ text: '1 minute ago', stale: false });
    expect(backupAge('2026-11-29T18:00:00Z', now)).toEqual({ text: '3 hours ago', stale: false });
    expect(backupAge('2026-11-28T21:30:00Z', now)).toEqual({ text: '23 hours ago', stale: false });
  });

  it('gives sizes in KB and MB', () => {
    expect(fileSize(300)).toBe('1 KB');
    expect(fileSize(200 * 1024)).toBe('200 KB');
    expect(fileSize(6.5 * 1024 * 1024)).toBe('6.5 MB');
  });
});
