#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/database';
import { HttpError } from './errors';
import { EventHub } from './events/eventHub';
import { TierService } from './services/tiers';
import { UserService } from './services/users';

const USAGE = `Usage: hangar-api <command>

  token create [--name NAME] [--user USERNAME]   create an API token (printed once)
  token list [--user USERNAME]                   list tokens (never their secrets)
  token revoke <TOKEN_ID>                        revoke a token
  user create <USERNAME> [--admin]               create a user
  user list                                      list users

Uses the same environment as the server (HANGAR_DATA_DIR, HANGAR_DATABASE_URL).`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, user: { type: 'string' }, admin: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const [group, action, arg] = positionals;
  if (values.help || !group) {
    process.stdout.write(USAGE + '\n');
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  const db = await openDatabase(config.database);
  try {
    const users = new UserService(db);
    await new TierService(db, new EventHub(10)).seedIfEmpty();
    const key = `${group} ${action ?? ''}`.trim();
    switch (key) {
      case 'token create': {
        const user = await users.userByName(values.user ?? 'admin');
        const created = await users.createToken(user.id, values.name ?? `cli ${new Date().toISOString().slice(0, 10)}`);
        process.stdout.write(`${created.secret}\n`);
        process.stderr.write(`token ${created.token.id} ("${created.token.name}") for ${user.username}; it is shown only now.\n`);
        return 0;
      }
      case 'token list': {
        const userId = values.user ? (await users.userByName(values.user)).id : undefined;
        for (const t of await users.listTokens(userId)) {
          const state = t.revokedAt ? `revoked ${t.revokedAt}` : 'active';
          process.stdout.write(`${t.id}  ${t.username.padEnd(12)} ${t.name.padEnd(20)} created ${t.createdAt}  last used ${t.lastUsedAt ?? 'never'}  ${state}\n`);
        }
        return 0;
      }
      case 'token revoke': {
        if (!arg) throw new HttpError(400, 'usage', 'token revoke needs a token id (see `hangar-api token list`).');
        const t = await users.revokeToken(arg);
        process.stdout.write(`revoked ${t.id} ("${t.name}")\n`);
        return 0;
      }
      case 'user create': {
        if (!action || !arg) throw new HttpError(400, 'usage', 'user create needs a username.');
        const { id } = await users.createUser(arg, values.admin ? 'admin' : 'user');
        process.stdout.write(`created user ${arg} (${id}); give them a token with: hangar-api token create --user ${arg}\n`);
        return 0;
      }
      case 'user list': {
        for (const u of await users.listUsers()) process.stdout.write(`${u.id}  ${u.username.padEnd(12)} ${u.role}\n`);
        return 0;
      }
      default:
        process.stderr.write(`hangar-api: unknown command "${key}"\n\n${USAGE}\n`);
        return 2;
    }
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = err instanceof ConfigError || err instanceof HttpError || err instanceof Error ? err.message : String(err);
    process.stderr.write(`hangar-api: ${message}\n`);
    process.exit(1);
  },
);
