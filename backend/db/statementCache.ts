import type SQLite from 'better-sqlite3';

/** What kysely's SQLite dialect uses of a database: prepare and close. */
export interface PreparingDatabase {
  prepare(sql: string): SQLite.Statement;
  close(): void;
}

/**
 * Keeps the last `max` prepared statements by their SQL text, so a query the API runs on every
 * request (the token lookup, a project row) is compiled by SQLite once instead of per request.
 * A statement still iterating (a streamed query) is not handed out again: that query gets its own.
 */
export function cachingStatements(sqlite: SQLite.Database, max = 500): PreparingDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql) {
      const hit = cache.get(sql);
      if (hit && !hit.busy) {
        // Map order is the recency order.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = sqlite.prepare(sql);
      if (hit) return stmt;
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
      cache.set(sql, stmt);
      return stmt;
    },
    close() {
      cache.clear();
      sqlite.close();
    },
  };
}
