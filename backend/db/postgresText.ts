import {
  OperationNodeTransformer, PrimitiveValueListNode, ValueNode,
  type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult,
  type RootOperationNode, type UnknownRow,
} from 'kysely';

/** U+FFFD, the replacement character: what a NUL becomes on PostgreSQL. */
const REPLACEMENT = '\uFFFD';

/** A string PostgreSQL's text type can hold: it refuses NUL (SQLite stores it). */
export function pgSafeText(value: string): string {
  return value.includes('\0') ? value.replaceAll('\0', REPLACEMENT) : value;
}

const safe = (v: unknown): unknown => (typeof v === 'string' ? pgSafeText(v) : v);

class NulTransformer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    if (typeof node.value !== 'string' || !node.value.includes('\0')) return node;
    return node.immediate ? ValueNode.createImmediate(safe(node.value)) : ValueNode.create(safe(node.value));
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return node.values.some((v) => typeof v === 'string' && v.includes('\0')) ? PrimitiveValueListNode.create(node.values.map(safe)) : node;
  }
}

/**
 * Text an agent or a client sends may hold NUL characters (a session title, an excerpt): SQLite
 * keeps them, PostgreSQL fails the whole statement (22021), which would answer 500. On PostgreSQL
 * every string value is stored with NUL replaced by U+FFFD instead.
 */
export class PostgresTextPlugin implements KyselyPlugin {
  private readonly transformer = new NulTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.transformer.transformNode(args.node);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}
