// When an occurrence and an offer are still open to anything: the one owner of each rule, read by
// commitments, offers, refills, publication and cancellation alike. Pure.

/** An occurrence takes nothing new (no commitment, offer or cancellation) once cancelled, done or begun. */
export function occurrenceIsOver(occurrence: { status: string; startsAt: Date }, now: Date): boolean {
  return occurrence.status === "CANCELLED" || occurrence.status === "DONE" || occurrence.startsAt <= now;
}

/** An offer can be answered while it awaits an answer and its deadline has not come. */
export function offerIsOpen(offer: { status: string; deadline: Date }, now: Date): boolean {
  return offer.status === "OFFERED" && offer.deadline > now;
}

/** Rule: an offer is answered within its response time, and never after its occurrence begins. */
export function responseDeadline(now: Date, startsAt: Date, responseMs: number): Date {
  return new Date(Math.min(now.getTime() + responseMs, startsAt.getTime()));
}
