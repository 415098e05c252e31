// Password hashing with scrypt (node:crypto, on libuv's thread pool: the event loop stays free).
// Stored as "scrypt$N$r$p$salt$hash" in base64url. N = 2^17, r = 8, p = 1 is OWASP's minimum
// for scrypt (Password Storage Cheat Sheet): 128 MiB and about half a second of one core per
// hash here. A hash stored with weaker parameters is replaced at the next sign-in (needsRehash).
// Hashes take turns (HASH_CONCURRENCY, HASH_QUEUE), so that sign-ins, even an attacker's, never
// take every core from the requests being answered.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { availableParallelism } from "node:os";
import { RateLimitError } from "../errors";

const KEY_LENGTH = 32;
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
/** scrypt needs 128 * N * r bytes; a stored hash asking for more than this is refused. */
const MAX_MEMORY = 256 * 1024 * 1024;

/**
 * Hashes run at most this many at a time (half the cores, at least one), the others wait their
 * turn: a burst of sign-ins, or an attacker's wrong passwords, then slows sign-ins down and never
 * takes every core from the requests the event loop is answering.
 */
export const HASH_CONCURRENCY = Math.max(1, Math.floor(availableParallelism() / 2));
/** And at most this many wait: a burst beyond is refused at once (RateLimitError), not queued for seconds. */
export const HASH_QUEUE = 4 * HASH_CONCURRENCY;
let running = 0;
const waiting: (() => void)[] = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= HASH_CONCURRENCY) {
    if (waiting.length >= HASH_QUEUE) throw new RateLimitError(5);
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return inTurn(
    () =>
      new Promise((resolve, reject) =>
        scryptCallback(password.normalize("NFKC"), salt, KEY_LENGTH, { ...options, maxmem: MAX_MEMORY }, (error, key) =>
          error ? reject(error) : resolve(key),
        ),
      ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT_PARAMS);
  return ["scrypt", SCRYPT_PARAMS.N, SCRYPT_PARAMS.r, SCRYPT_PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

function parse(stored: string) {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (scheme !== "scrypt" || !salt || !hash || !Object.values(params).every((v) => Number.isSafeInteger(v) && v > 0)) return null;
  return { params, salt, hash };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const expected = Buffer.from(parsed.hash, "base64url");
  let key: Buffer;
  try {
    key = await scrypt(password, Buffer.from(parsed.salt, "base64url"), parsed.params);
  } catch (error) {
    if (error instanceof RateLimitError) throw error;
    // Parameters scrypt refuses (not a power of two, over the memory bound): no match.
    return false;
  }
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Whether a stored hash is weaker than the current parameters (it is replaced at sign-in). */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.params.N < SCRYPT_PARAMS.N || parsed.params.r < SCRYPT_PARAMS.r || parsed.params.p < SCRYPT_PARAMS.p;
}

/** A hash to compare against when the user does not exist, at the current cost, so timing does not reveal it. */
export const DUMMY_PASSWORD_HASH = `scrypt$${SCRYPT_PARAMS.N}$${SCRYPT_PARAMS.r}$${SCRYPT_PARAMS.p}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
