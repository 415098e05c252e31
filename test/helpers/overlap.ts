// Records which jobs run at the same time, to show what may overlap and what may not.
export function overlapRecorder() {
  const running = new Map<string, string>();
  /** Pairs of groups (territories) seen running at once, as "a|b". */
  const overlaps: string[] = [];
  const finished: string[] = [];
  return {
    overlaps,
    finished,
    /** `ms` of pretend work as job `name` of `group`, noting every job running meanwhile. */
    async work(name: string, group: string, ms: number) {
      for (const otherGroup of running.values()) overlaps.push([otherGroup, group].sort().join("|"));
      running.set(name, group);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running.delete(name);
      finished.push(name);
    },
  };
}
