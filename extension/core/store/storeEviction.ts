import { encodeStore } from './storeCodec';
import type { ListSection, StoreData } from './storeSchema';

export interface StoreLimits {
  /** The file's largest size in bytes (hangar.offline.storeLimitMB). */
  maxBytes: number;
  /** Transcripts kept per project, the most recently used first (hangar.offline.transcriptsPerProject). */
  transcriptsPerProject: number;
  /** Older data is not worth showing: dropped. */
  maxAgeMs: number;
}

export interface Fitted {
  text: string;
  bytes: number;
  /** transcripts dropped to stay within the limits */
  evicted: number;
}

const SECTIONS: readonly ListSection[] = ['projects', 'tiers', 'providers', 'activity'];

/**
 * Trims the data in place to the limits and encodes it: what is too old goes, then each project keeps
 * its N most recently used transcripts, then the least recently used transcripts of all servers go
 * until the file fits; if lists alone are too large, activity goes, then whole servers.
 */
export function fitStore(data: StoreData, limits: StoreLimits, now: number): Fitted {
  const oldest = now - limits.maxAgeMs;
  let evicted = 0;
  const all: { server: string; project: string; session: string; usedAt: number }[] = [];
  for (const [server, cache] of Object.entries(data.servers)) {
    for (const s of SECTIONS) if (cache[s] && cache[s].at < oldest) delete cache[s];
    for (const [project, sessions] of Object.entries(cache.transcripts)) {
      const ranked = Object.entries(sessions).sort(([, a], [, b]) => b.usedAt - a.usedAt);
      ranked.forEach(([session, t], i) => {
        if (t.usedAt < oldest || i >= limits.transcriptsPerProject) {
          delete sessions[session];
          evicted++;
        } else {
          all.push({ server, project, session, usedAt: t.usedAt });
        }
      });
      if (Object.keys(sessions).length === 0) delete cache.transcripts[project];
    }
  }
  let text = encodeStore(data);
  let bytes = Buffer.byteLength(text);
  if (bytes <= limits.maxBytes) return { text, bytes, evicted };
  all.sort((a, b) => a.usedAt - b.usedAt);
  let estimate = bytes;
  for (const t of all) {
    if (estimate <= limits.maxBytes) break;
    const sessions = data.servers[t.server]?.transcripts[t.project];
    const gone = sessions?.[t.session];
    if (!sessions || !gone) continue;
    // Sizes are measured only here, when over the limit: a write within it encodes once.
    estimate -= Buffer.byteLength(JSON.stringify(gone)) + t.session.length + 4;
    delete sessions[t.session];
    if (Object.keys(sessions).length === 0) delete data.servers[t.server]!.transcripts[t.project];
    evicted++;
  }
  text = encodeStore(data);
  bytes = Buffer.byteLength(text);
  if (bytes > limits.maxBytes) {
    for (const cache of Object.values(data.servers)) delete cache.activity;
    text = encodeStore(data);
    bytes = Buffer.byteLength(text);
  }
  const servers = Object.keys(data.servers);
  while (bytes > limits.maxBytes && servers.length > 0) {
    delete data.servers[servers.shift()!];
    text = encodeStore(data);
    bytes = Buffer.byteLength(text);
  }
  return { text, bytes, evicted };
}
