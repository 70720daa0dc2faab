import fs from 'node:fs';
import path from 'node:path';

/**
 * Makes the offline database's acknowledged commits survive a power cut. PGlite runs with
 * fsync off and never calls it (measured): its writes reach the OS, not the disk. So after a
 * commit, and before the caller hears of it, the WAL files that changed are fsynced; after a
 * checkpoint, every changed file. Commits that finish while an fsync runs share the next one
 * (group commit), so a burst pays a few fsyncs, not one each.
 */
export interface Durability {
  /** Resolves once everything committed so far is on disk. */
  commitsOnDisk(): Promise<void>;
  /** After a checkpoint: the data files it wrote, pg_control and the WAL. */
  everythingOnDisk(): Promise<void>;
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * fsyncs the WAL segments written since the last call: every segment whose mtime is not older
 * than the newest one seen then (equal counts: the clock behind mtime is coarse, so a later
 * write can carry the same time). The current segment is always among them.
 */
function walSyncer(walDir: string): () => void {
  let newest = 0;
  const known = new Set<string>();
  return () => {
    let gained = false;
    let newestNow = newest;
    for (const name of fs.readdirSync(walDir)) {
      const full = path.join(walDir, name);
      const stat = fs.statSync(full);
      if (!stat.isFile() || stat.mtimeMs < newest) continue;
      syncFile(full);
      newestNow = Math.max(newestNow, stat.mtimeMs);
      if (!known.has(name)) {
        known.add(name);
        gained = true;
      }
    }
    if (gained) syncFile(walDir); // a new segment's directory entry is on disk too
    newest = newestNow;
  };
}

/** Every file and folder under `dir` (after a checkpoint wrote data pages and pg_control). */
function syncTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) syncTree(full);
    else if (entry.isFile()) syncFile(full);
  }
  syncFile(dir);
}

export function durability(dataDir: string): Durability {
  const syncWal = walSyncer(path.join(dataDir, 'pg_wal'));
  const syncAll = () => syncTree(dataDir);
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;

  const flush = (sync: () => void) =>
    new Promise<void>((resolve, reject) => {
      // Off the current tick, so commits finishing meanwhile join this group.
      setImmediate(() => {
        try {
          sync();
          resolve();
        } catch (error) {
          reject(error);
        }
      });
    });

  function commitsOnDisk(): Promise<void> {
    if (next) return next;
    if (!running) {
      running = flush(syncWal).finally(() => (running = null));
      return running;
    }
    // An fsync already running may have started before this commit's write: wait for the next.
    next = running
      .catch(() => undefined)
      .then(() => {
        next = null;
        running = flush(syncWal).finally(() => (running = null));
        return running;
      });
    return next;
  }

  return {
    commitsOnDisk,
    everythingOnDisk: async () => {
      await running?.catch(() => undefined);
      await flush(syncAll);
    },
  };
}
