// Login throttling, two ways. Per client address, in memory: at most `perAddressPerMinute`
// attempts a minute (a sliding minute), so one machine cannot try passwords fast. Per account, in
// the database so every process agrees: after `maxFailures` wrong passwords within `lockMinutes`,
// the email is locked for `lockMinutes`; the lock is keyed by the email as typed (normalised), so
// it says nothing about whether the account exists.
export interface LoginThrottle {
  maxFailures: number;
  lockMinutes: number;
  perAddressPerMinute: number;
  /** Records an attempt from an address; false when it is over its rate. */
  allowAddress(address: string, now: number): boolean;
}

export const DEFAULT_LOGIN_THROTTLE = { maxFailures: 5, lockMinutes: 15, perAddressPerMinute: 30 };

export function loginThrottle(options: Partial<typeof DEFAULT_LOGIN_THROTTLE> = {}): LoginThrottle {
  const settings = { ...DEFAULT_LOGIN_THROTTLE, ...options };
  const attempts = new Map<string, number[]>();
  let sweptAt = 0;
  return {
    ...settings,
    allowAddress(address, now) {
      // Forget addresses idle for a minute, now and then, so the map stays small.
      if (now - sweptAt > 60_000) {
        for (const [key, times] of attempts) if (times.at(-1)! <= now - 60_000) attempts.delete(key);
        sweptAt = now;
      }
      const recent = (attempts.get(address) ?? []).filter((t) => t > now - 60_000);
      recent.push(now);
      attempts.set(address, recent);
      return recent.length <= settings.perAddressPerMinute;
    },
  };
}
