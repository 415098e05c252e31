// The optimiser's budget: work units, which decide when a search stops and are the same on any
// machine, and a wall-clock deadline, a safety stop that fires only on a machine too slow or too
// busy for the work asked. Pure apart from reading the clock.
//
// One work unit is one simplex iteration of HiGHS (an LP's own, or any of a MIP's nodes), or
// 4,000 pair visits or search nodes of the Lagrangian. Measured at size XL on this project's
// machine: 55 µs per iteration of the LP, 270 µs per iteration of a MIP (cuts and presolve
// included), 170 µs per 4,000 visits.

/** Pair visits and search nodes of the JavaScript searches that make one work unit. */
export const VISITS_PER_UNIT = 4000;

/** Work each component gets at least, whatever its share: enough for HiGHS to close a small one. */
export const minimumWork = (pairs: number) => 50 + 5 * Math.min(pairs, 100);

/** The default budget: grows with the problem, about 4 CPU seconds at size XL (docs/solver.md). */
export const defaultWorkLimit = (pairs: number) => 9_000 + Math.round(pairs / 6);

export class Budget {
  private used = 0;
  private readonly deadline: number;
  private readonly started: number;
  /** Set once the clock has run out: the answer may then depend on the machine. */
  timedOut = false;

  constructor(
    readonly workLimit: number,
    timeLimitSeconds: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.started = clock();
    this.deadline = this.started + timeLimitSeconds * 1000;
  }

  get work(): number {
    return this.used;
  }

  spend(units: number) {
    this.used += units;
  }

  secondsLeft(): number {
    return Math.max(0, (this.deadline - this.clock()) / 1000);
  }

  elapsedSeconds(): number {
    return (this.clock() - this.started) / 1000;
  }

  /** True once the deadline has passed (and remembers it). */
  timeUp(): boolean {
    if (!this.timedOut && this.clock() >= this.deadline) this.timedOut = true;
    return this.timedOut;
  }
}

/** A component's part of the budget: its own work share, and the global clock. */
export class Share {
  private used = 0;

  constructor(
    readonly budget: Budget,
    readonly work: number,
    /** Seconds kept for what comes after this component (its greedy answers are ready). */
    private readonly reserveSeconds: number,
  ) {}

  get spent(): number {
    return this.used;
  }

  workLeft(): number {
    return Math.max(0, this.work - this.used);
  }

  spend(units: number) {
    this.used += units;
    this.budget.spend(units);
  }

  /** Spends pair visits and search nodes, counted in thousands. */
  spendVisits(visits: number) {
    this.spend(visits / VISITS_PER_UNIT);
  }

  secondsLeft(): number {
    return Math.max(0, this.budget.secondsLeft() - this.reserveSeconds);
  }

  /** Whether the work share is used up. */
  exhausted(): boolean {
    return this.workLeft() <= 0;
  }

  /** True once this component's time is over (the deadline less what later components keep). */
  timeUp(): boolean {
    if (this.secondsLeft() > 0) return false;
    this.budget.timedOut = true;
    return true;
  }
}
