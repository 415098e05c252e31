// Travel times between municipalities, estimated from coordinates: great-circle distance
// times a road-winding factor, at an average speed for the hill roads of the Maremma and
// Mount Amiata, plus a fixed time to get going and park. Pure.

export interface Place {
  id: string;
  latitude: number;
  longitude: number;
}

const EARTH_RADIUS_KM = 6371;
/** Roads are longer than the straight line: about 1.4 times in hilly country. */
export const ROAD_WINDING_FACTOR = 1.4;
/** Average speed on the provincial roads of the district, in km/h. */
export const AVERAGE_SPEED_KMH = 55;
/** Minutes to leave, park and walk to the door, added to every trip between two towns. */
export const FIXED_TRIP_MINUTES = 5;

export function greatCircleKm(a: Place, b: Place): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}

/** Estimated minutes by road from a to b (0 within the same municipality). */
export function estimateTravelMinutes(a: Place, b: Place): number {
  if (a.id === b.id) return 0;
  const km = greatCircleKm(a, b) * ROAD_WINDING_FACTOR;
  return Math.round((km / AVERAGE_SPEED_KMH) * 60) + FIXED_TRIP_MINUTES;
}

/** All ordered pairs with their travel times, both directions. */
export function travelMatrix(places: Place[]): { fromId: string; toId: string; minutes: number }[] {
  return places.flatMap((from) => places.map((to) => ({ fromId: from.id, toId: to.id, minutes: estimateTravelMinutes(from, to) })));
}
