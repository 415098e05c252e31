// How often one client address may try something (sign in, register): at most `limit` times in a
// window. In memory for one process (a sliding window), or shared by every process through Redis
// (a fixed window per key, counted atomically), so that replicas behind a load balancer agree.
// When Redis does not answer, the process's own count decides rather than letting everyone in.

export interface RateLimiter {
  /** Counts an attempt for a key; false when the key is over its limit. */
  hit(key: string, now: number): Promise<boolean>;
}

export interface RateLimit {
  limit: number;
  windowMs: number;
}

export function memoryRateLimiter({ limit, windowMs }: RateLimit): RateLimiter {
  const attempts = new Map<string, number[]>();
  let sweptAt = 0;
  return {
    async hit(key, now) {
      // Forget keys idle for a window, now and then, so the map stays small.
      if (now - sweptAt > windowMs) {
        for (const [k, times] of attempts) if (times.at(-1)! <= now - windowMs) attempts.delete(k);
        sweptAt = now;
      }
      const recent = (attempts.get(key) ?? []).filter((t) => t > now - windowMs);
      recent.push(now);
      attempts.set(key, recent);
      return recent.length <= limit;
    },
  };
}

/** The part of an ioredis client the limiter uses. */
export interface RedisCounter {
  eval(script: string, keys: number, ...args: (string | number)[]): Promise<unknown>;
}

// INCR and, for the first hit of a window, PEXPIRE, in one step.
const COUNT = `local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n`;

export function redisRateLimiter(redis: RedisCounter, prefix: string, rate: RateLimit): RateLimiter {
  const fallback = memoryRateLimiter(rate);
  return {
    async hit(key, now) {
      const window = Math.floor(now / rate.windowMs);
      try {
        const count = Number(await redis.eval(COUNT, 1, `${prefix}:rate:${key}:${window}`, rate.windowMs));
        return count <= rate.limit;
      } catch {
        return fallback.hit(key, now);
      }
    },
  };
}
