// Identifiers, tokens and the clock. IDs are the API's type prefix plus 32 random hex digits
// (e.g. "org-…", "git-permission-…"); minted tokens are "cog_" plus 40 random alphanumerics.
// Timestamps are integer Unix seconds, as in v3.
import { randomBytes, randomInt } from 'node:crypto';

export function newId(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function newToken(): string {
  let out = 'cog_';
  for (let i = 0; i < 40; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
