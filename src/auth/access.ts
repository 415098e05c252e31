// Territorial access for staff, shared by the areas. Objects outside the viewer's territory are
// reported as not found, so ids cannot be probed.
import { ForbiddenError, NotFoundError } from "../errors";
import type { ServiceContext } from "../service-context";
import type { Viewer } from "./viewer";

export function requireViewer(context: Pick<ServiceContext, "viewer">): Viewer {
  if (!context.viewer) throw new ForbiddenError("authentication required");
  return context.viewer;
}

/** A signed-in citizen only: returns the viewer and their citizen record's id. */
export function requireCitizen(context: Pick<ServiceContext, "viewer">): { viewer: Viewer; citizenId: string } {
  const viewer = requireViewer(context);
  if (viewer.role !== "CITIZEN" || !viewer.citizenId) throw new ForbiddenError();
  return { viewer, citizenId: viewer.citizenId };
}

/** Staff only: returns the viewer and the territory they manage (null: every territory, for administrators). */
export function requireStaff(context: Pick<ServiceContext, "viewer">): { viewer: Viewer; territoryId: string | null } {
  const viewer = requireViewer(context);
  if (viewer.role === "ADMIN") return { viewer, territoryId: null };
  if (viewer.role === "COORDINATOR" && viewer.territoryId) return { viewer, territoryId: viewer.territoryId };
  throw new ForbiddenError();
}

/** Throws NotFound unless the object exists and lies in the staff member's territory. */
/** Rule: a coordinator acts in their own territory, and only there. */
export function coordinatesTerritory(viewer: Pick<Viewer, "role" | "territoryId">, territoryId: string | null): boolean {
  return viewer.role === "COORDINATOR" && viewer.territoryId !== null && viewer.territoryId === territoryId;
}

export function assertInTerritory<T extends { territoryId: string }>(scope: { territoryId: string | null }, entity: string, id: string, row: T | null): T {
  if (!row || (scope.territoryId !== null && row.territoryId !== scope.territoryId)) throw new NotFoundError(entity, id);
  return row;
}
