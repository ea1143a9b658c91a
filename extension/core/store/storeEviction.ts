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
  /** the file's text, whole or in pieces to write in turn */
  text: string | readonly string[];
  bytes: number;
  /** transcripts dropped to stay within the limits */
  evicted: number;
}

const SECTIONS: readonly ListSection[] = ['projects', 'tiers', 'providers', 'activity'];

/**
 * Fitting the data in place to the limits, in two steps (localStore.ts encodes in between): what is
 * too old goes, then each project keeps its N most recently used transcripts (trimStore); then the
 * least recently used transcripts of all servers go until the file fits; if lists alone are too large,
 * activity goes, then whole servers (shrinkToFit).
 */
export interface Trimmed {
  evicted: number;
  /** the transcripts left, to evict from when the file is still too large */
  kept: { server: string; project: string; session: string; usedAt: number }[];
}

/** The cheap part, without encoding: what is too old goes; each project keeps its N most recently used transcripts. */
export function trimStore(data: StoreData, limits: StoreLimits, now: number): Trimmed {
  const oldest = now - limits.maxAgeMs;
  let evicted = 0;
  const kept: Trimmed['kept'] = [];
  for (const [server, cache] of Object.entries(data.servers)) {
    for (const s of SECTIONS) if (cache[s] && cache[s].at < oldest) delete cache[s];
    for (const [project, sessions] of Object.entries(cache.transcripts)) {
      const ranked = Object.entries(sessions).sort(([, a], [, b]) => b.usedAt - a.usedAt);
      ranked.forEach(([session, t], i) => {
        if (t.usedAt < oldest || i >= limits.transcriptsPerProject) {
          delete sessions[session];
          evicted++;
        } else {
          kept.push({ server, project, session, usedAt: t.usedAt });
        }
      });
      if (Object.keys(sessions).length === 0) delete cache.transcripts[project];
    }
  }
  return { evicted, kept };
}

/**
 * `encoded`: the trimmed data's file. Within the limit it is the answer; over it (rare: measured and
 * encoded again at once), transcripts go, least recently used first, then activity, then whole servers.
 */
export function shrinkToFit(
  data: StoreData, limits: StoreLimits, trimmed: Trimmed, encoded: { pieces: readonly string[]; bytes: number },
): Fitted {
  let evicted = trimmed.evicted;
  let bytes = encoded.bytes;
  if (bytes <= limits.maxBytes) return { text: encoded.pieces, bytes, evicted };
  let text: string;
  const all = [...trimmed.kept].sort((a, b) => a.usedAt - b.usedAt);
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
