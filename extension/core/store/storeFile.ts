import fs from 'node:fs/promises';
import path from 'node:path';

/** Where the store's bytes live; the node implementation below, an in-memory one in tests. */
export interface StoreFile {
  /** The file's text, or undefined when there is none yet. */
  read(): Promise<string | undefined>;
  /** Replaces the file whole: a reader sees the old or the new text, never a mix. Pieces are written in turn. */
  write(text: string | readonly string[]): Promise<void>;
  /** Keeps an unreadable file aside (for a bug report) before it is rebuilt. */
  quarantine(): Promise<void>;
}

/** A file in the extension's global storage: 0600 in a 0700 folder, written to a temp file and renamed. */
export function nodeStoreFile(file: string): StoreFile {
  const dir = path.dirname(file);
  return {
    async read() {
      try {
        return await fs.readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async write(text) {
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
      const handle = await fs.open(tmp, 'w', 0o600);
      try {
        // Piece by piece: no single large string or buffer, and the host runs between pieces.
        for (const piece of typeof text === 'string' ? [text] : text) await handle.write(piece, null, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(tmp, file);
    },
    async quarantine() {
      await fs.rename(file, `${file}.corrupt`).catch(() => undefined);
    },
  };
}
