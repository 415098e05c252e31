// Within one process, work on one key (an occurrence's seats) takes turns before it takes a
// database connection: five hundred simultaneous accepts of one seat used to take every
// connection of the pool, each waiting on the same row lock, and starve everyone else. Those
// waiting hold nothing; when a turn ends they all look again (a cheap read, in parallel), so a
// seat taken meanwhile answers at once, and only those still in with a chance ask for the next
// turn. The database's row locks stay the guarantee across processes.

export interface Turns {
  /** Resolves to `release` when it is the caller's turn, or to null once the current turn has ended (look again, then ask again). */
  take(key: string): Promise<(() => void) | null>;
}

export function turns(): Turns {
  const current = new Map<string, Promise<void>>();
  return {
    async take(key) {
      const running = current.get(key);
      if (running) {
        await running;
        return null;
      }
      let end!: () => void;
      current.set(key, new Promise<void>((resolve) => (end = resolve)));
      let released = false;
      return () => {
        if (released) return;
        released = true;
        current.delete(key);
        end();
      };
    },
  };
}
