#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { rotateConfiguredKey } from './providers/keyRotation';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/database';
import { HttpError } from './errors';
import { CONTROL_CHARS } from './contract';
import { COOLIFY_TOKEN_PATTERN } from './runtime/coolify/config';
import { clearRuntimeSecret, setRuntimeSecret } from './runtime/runtimeSettings';
import { SecretBox } from './runtime/secretBox';
import { loadEncryptionKey } from './security/encryptionKey';
import { EventHub } from './events/eventHub';
import { TierService } from './services/tiers';
import { UserService } from './services/users';
import { envHelpText } from './cliEnv';
import { serve } from './serve';
import { imageBuildCommand } from './cliImage';

const USAGE = `Usage: hangar-api <command>

  serve                                          run the management API (until SIGTERM/SIGINT)
  image build [--desktop] [--registry|--local]   build the agent image (and the desktop-tier one)
                                                 the docker runtime uses, on DOCKER_HOST's engine:
                                                 from media/images' Dockerfiles when the engine can
                                                 pull node:22-bookworm-slim, else FROM scratch out
                                                 of this machine's opencode, git, ripgrep, busybox
                                                 (and Xvfb, x11vnc for --desktop)
  token create [--name NAME] [--user USERNAME]   create an API token (printed once)
  token list [--user USERNAME]                   list tokens (never their secrets)
  token revoke <TOKEN_ID>                        revoke a token
  user create <USERNAME> [--admin]               create a user
  user list                                      list users
  coolify set-token                              store the Coolify API token, read from stdin
                                                 (never from the command line), encrypted
  coolify clear-token                            remove the stored Coolify API token
  secrets rotate-key                             re-encrypt every stored secret with a new key
                                                 (key file: replaced; env key: needs
                                                 HANGAR_ENCRYPTION_KEY_PREVIOUS = the old key)

Every command uses the server's environment (HANGAR_DATA_DIR, HANGAR_DATABASE_URL,
HANGAR_ENCRYPTION_KEY[_FILE] above all): run them with the same variables as \`serve\`.
Restart the server after changing the Coolify token.

  printf '%s' "$TOKEN" | hangar-api coolify set-token     or: hangar-api coolify set-token < token.txt

Environment:

${envHelpText()}`;

/** The exit code, or undefined for `serve`, which runs until a signal. */
async function main(argv: string[]): Promise<number | undefined> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' }, user: { type: 'string' }, admin: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      desktop: { type: 'boolean' }, registry: { type: 'boolean' }, local: { type: 'boolean' },
    },
  });
  const [group, action, arg] = positionals;
  if (values.help || !group) {
    process.stdout.write(USAGE + '\n');
    return values.help ? 0 : 2;
  }
  if (group === 'serve' && !action) {
    await serve();
    return undefined;
  }
  if (group === 'image' && action === 'build') {
    return imageBuildCommand({ desktop: !!values.desktop, registry: !!values.registry, local: !!values.local }, (l) => process.stderr.write(`${l}\n`));
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
          process.stdout.write(`${t.id}  ${printable(t.username).padEnd(12)} ${printable(t.name).padEnd(20)} created ${t.createdAt}  last used ${t.lastUsedAt ?? 'never'}  ${state}\n`);
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
      case 'coolify set-token': {
        if (arg) throw new HttpError(400, 'usage', 'coolify set-token reads the token from stdin, never from the command line (it would stay in shell history and `ps`).');
        const token = (await readSecret('Coolify API token: ')).trim();
        if (!token) throw new HttpError(400, 'usage', 'no token on stdin: pipe it in, like `hangar-api coolify set-token < token.txt`.');
        if (!COOLIFY_TOKEN_PATTERN.test(token)) {
          throw new HttpError(400, 'usage', 'that does not look like a Coolify API token (8 or more characters, no spaces); create one in Coolify under Keys & Tokens → API tokens.');
        }
        await setRuntimeSecret(db, new SecretBox(loadEncryptionKey(config.encryptionKey)), 'coolifyToken', token);
        process.stdout.write('stored the Coolify API token (encrypted); it takes precedence over HANGAR_COOLIFY_TOKEN. Restart the server to use it.\n');
        return 0;
      }
      case 'coolify clear-token': {
        const removed = await clearRuntimeSecret(db, 'coolifyToken');
        process.stdout.write(removed ? 'removed the stored Coolify API token; HANGAR_COOLIFY_TOKEN applies again if set. Restart the server.\n' : 'no Coolify API token was stored.\n');
        return 0;
      }
      case 'secrets rotate-key': {
        const report = await rotateConfiguredKey(db, config.encryptionKey, config.previousEncryptionKey, path.join(config.dataDir, 'projects'), () => randomBytes(32));
        const total = Object.values(report.rotated).reduce((a, b) => a + b, 0) + report.files;
        process.stdout.write(`re-encrypted ${total} value(s) with the new key${report.keyFile ? ` (now in ${report.keyFile})` : ''}; ${report.alreadyCurrent} already used it. Restart the server.\n`);
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

/**
 * All of stdin when piped; on a terminal one line typed without echo. Secrets never come from
 * argv, which shell history and `ps` show to others.
 */
async function readSecret(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done(() => resolve(value));
        if (ch === '\u0003') return done(() => reject(new Error('cancelled')));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = (settle: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      settle();
    };
    stdin.on('data', onData);
  });
}

main(process.argv.slice(2)).then(
  (code) => { if (code !== undefined) process.exit(code); },
  (err: unknown) => {
    const message = err instanceof ConfigError || err instanceof HttpError || err instanceof Error ? err.message : String(err);
    process.stderr.write(`hangar-api: ${message}\n`);
    process.exit(1);
  },
);

/** A stored name as one terminal-safe line (names made before control characters were refused). */
function printable(s: string): string {
  return s.replace(new RegExp(CONTROL_CHARS.source, 'g'), '?');
}
