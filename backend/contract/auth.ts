import { z } from 'zod';
import { displayName, IsoTime, listOf } from './common';

export const Role = z.enum(['admin', 'user']);

export const Me = z.object({
  id: z.string(),
  username: z.string(),
  role: Role,
  tokenName: z.string(),
});
export type Me = z.infer<typeof Me>;

export const ApiToken = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: IsoTime,
  lastUsedAt: IsoTime.nullable(),
  revokedAt: IsoTime.nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;
export const ApiTokenList = listOf(ApiToken);
export type ApiTokenList = z.infer<typeof ApiTokenList>;

export const TokenCreate = z.strictObject({ name: displayName(60) });
/** The secret appears once, in this response, and is stored only as a hash. */
export const TokenCreated = z.object({ token: ApiToken, secret: z.string() });
export type TokenCreated = z.infer<typeof TokenCreated>;
