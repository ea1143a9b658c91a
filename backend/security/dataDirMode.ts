import fs from 'node:fs';

/**
 * The data dir holds the encryption key, the admin token and the database: 0700, so no other
 * user of the host can list or read it, whatever the umask was when it was made.
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

/** Files that hold secrets (the SQLite file and its -wal/-shm): 0600 when they exist. */
export function ensurePrivateFiles(files: string[]): void {
  for (const f of files) {
    try {
      fs.chmodSync(f, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
