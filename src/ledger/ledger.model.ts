// The hours ledger (rendicontazione), pure: lines are appended, never changed. A commitment's
// planned minutes count until a coordinator decides on the logged hours; from then on the
// latest decision (confirmation or correction) counts as done.

import { ConflictError } from "../errors";

export interface LedgerLine {
  id: string;
  kind: "LOGGED" | "CONFIRMED" | "CORRECTED";
  commitmentId: string;
  minutes: number;
  /** Order of writing. */
  seq: number;
}

export interface LedgerCommitment {
  id: string;
  status: "ACTIVE" | "WITHDRAWN" | "CANCELLED";
  plannedMinutes: number;
}

export interface CommitmentHours {
  plannedMinutes: number;
  /** Logged by the citizen and not yet decided on. */
  pendingMinutes: number;
  doneMinutes: number;
  /** What the commitment takes from its pact's budget: done once decided, planned until then. */
  usedMinutes: number;
}

const inOrder = (a: LedgerLine, b: LedgerLine) => a.seq - b.seq;

export function commitmentHours(commitment: LedgerCommitment, lines: LedgerLine[]): CommitmentHours {
  const own = lines.filter((l) => l.commitmentId === commitment.id).sort(inOrder);
  const decisions = own.filter((l) => l.kind !== "LOGGED");
  const lastDecision = decisions[decisions.length - 1];
  const lastLog = own.filter((l) => l.kind === "LOGGED").pop();
  const done = lastDecision?.minutes ?? 0;
  const pending = lastLog && (!lastDecision || lastLog.seq > lastDecision.seq) ? lastLog.minutes : 0;
  const active = commitment.status === "ACTIVE";
  const planned = active ? commitment.plannedMinutes : 0;
  return {
    plannedMinutes: planned,
    pendingMinutes: pending,
    doneMinutes: done,
    usedMinutes: lastDecision ? done : planned,
  };
}

export function sumHours(items: CommitmentHours[]): CommitmentHours {
  return items.reduce(
    (sum, h) => ({
      plannedMinutes: sum.plannedMinutes + h.plannedMinutes,
      pendingMinutes: sum.pendingMinutes + h.pendingMinutes,
      doneMinutes: sum.doneMinutes + h.doneMinutes,
      usedMinutes: sum.usedMinutes + h.usedMinutes,
    }),
    { plannedMinutes: 0, pendingMinutes: 0, doneMinutes: 0, usedMinutes: 0 },
  );
}

/** A stored ledger row as the pure functions read it. */
export function ledgerLine(row: { id: string; kind: LedgerLine["kind"]; commitmentId: string; minutes: number; seq: number }): LedgerLine {
  return { id: row.id, kind: row.kind, commitmentId: row.commitmentId, minutes: row.minutes, seq: row.seq };
}

/** An occurrence takes no more active commitments than its task's headcount. */
export function mustHaveSeatLeft(activeCommitments: number, headcount: number): void {
  if (activeCommitments >= headcount) throw new ConflictError("HEADCOUNT_REACHED");
}
