// Which service handles which event job. The handlers themselves live with their services.
import { prepareDraftRuns } from "../matching/matching.service";
import { commitmentReminder, dailyScan, fillSeats, offerDeadline, offerReminder, type JobDeps } from "../offers/offers.jobs";
import type { EventJob } from "./runner";

export async function handleEventJob(deps: JobDeps, job: EventJob): Promise<void> {
  switch (job.kind) {
    case "offer-deadline":
      return offerDeadline(deps, job.offerId);
    case "offer-reminder":
      return offerReminder(deps, job.offerId);
    case "fill-seats":
      return fillSeats(deps, job.occurrenceId);
    case "commitment-reminder":
      return commitmentReminder(deps, job.commitmentId);
    case "daily-scan":
      return dailyScan(deps);
    case "weekly-draft":
      await prepareDraftRuns(deps);
      return;
  }
}
