import crypto from 'node:crypto';
import { STORE_MIGRATIONS, STORE_VERSION, StoreData, type StoreMigration } from './storeSchema';

/**
 * The file is a header line `{"format":"hangar-store","v":N,"sha256":"…"}` and the JSON body. The
 * checksum catches a torn or flipped write that still parses; the version picks the migrations.
 */
const FORMAT = 'hangar-store';

export class CorruptStore extends Error {
  override name = 'CorruptStore';
}

export function encodeStore(data: StoreData): string {
  const body = JSON.stringify(data);
  return `${JSON.stringify({ format: FORMAT, v: data.v, sha256: sha256(body) })}\n${body}`;
}

/**
 * The same file as encodeStore, as pieces built one transcript at a time with `pause()` between them
 * (the body is equivalent JSON; the checksum is of it): a large store is never one long stall of the
 * extension host, and is never one large string either (the pieces are written in turn).
 */
export async function encodeStoreInPieces(
  data: StoreData, pause: () => Promise<void>,
): Promise<{ pieces: string[]; bytes: number }> {
  const hash = crypto.createHash('sha256');
  const parts: string[] = [];
  let bytes = 0;
  const push = (piece: string) => { parts.push(piece); hash.update(piece); bytes += Buffer.byteLength(piece); };
  push(`{"v":${data.v},"servers":{`);
  let server = 0;
  for (const [url, cache] of Object.entries(data.servers)) {
    const { transcripts, ...lists } = cache;
    const listsText = JSON.stringify(lists);
    const listsPart = listsText.length > 2 ? `${listsText.slice(1, -1)},` : '';
    push(`${server++ ? ',' : ''}${JSON.stringify(url)}:{${listsPart}"transcripts":{`);
    let project = 0;
    for (const [projectId, sessions] of Object.entries(transcripts)) {
      push(`${project++ ? ',' : ''}${JSON.stringify(projectId)}:{`);
      let session = 0;
      for (const [sessionId, t] of Object.entries(sessions)) {
        push(`${session++ ? ',' : ''}${JSON.stringify(sessionId)}:${JSON.stringify(t)}`);
        await pause();
      }
      push('}');
    }
    push('}}');
  }
  push('}}');
  const header = `${JSON.stringify({ format: FORMAT, v: data.v, sha256: hash.digest('hex') })}\n`;
  return { pieces: [header, ...parts], bytes: bytes + Buffer.byteLength(header) };
}

/** The data of a file's text, migrated to the current version; throws CorruptStore with the reason. */
export function decodeStore(text: string, migrations: Readonly<Record<number, StoreMigration>> = STORE_MIGRATIONS): StoreData {
  const nl = text.indexOf('\n');
  if (nl < 0) throw new CorruptStore('no header line');
  let header: { format?: unknown; v?: unknown; sha256?: unknown };
  try {
    header = JSON.parse(text.slice(0, nl)) as typeof header;
  } catch {
    throw new CorruptStore('the header is not JSON');
  }
  const body = text.slice(nl + 1);
  if (header.format !== FORMAT || typeof header.v !== 'number') throw new CorruptStore('not a Hangar store file');
  if (header.sha256 !== sha256(body)) throw new CorruptStore('checksum mismatch (a torn or damaged write)');
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(body) as Record<string, unknown>;
  } catch {
    throw new CorruptStore('the body is not JSON');
  }
  if (header.v > STORE_VERSION) throw new CorruptStore(`written by a newer Hangar (version ${header.v})`);
  for (let v = header.v; v < STORE_VERSION; v++) {
    const step = migrations[v];
    if (!step) throw new CorruptStore(`no migration from version ${v}`);
    data = { ...step(data), v: v + 1 };
  }
  const parsed = StoreData.safeParse(data);
  if (!parsed.success) throw new CorruptStore(`unexpected shape: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
