/**
 * Which saved Outlook item belongs to which circle. The API has no route to record this yet, so
 * the link lives in the item itself (its coachingCircleId custom property, which Graph can read
 * back) and, for this pane, in local storage keyed by item id.
 */
const STORAGE_KEY = "coaching-circles.appointment-links";

export interface AppointmentLink {
  itemId: string;
  circleId: string;
  linkedAt: string;
}

export function rememberAppointmentLink(link: AppointmentLink, storage: Storage | undefined = globalThis.localStorage): void {
  if (!storage) return;
  try {
    const links = readLinks(storage).filter((l) => l.itemId !== link.itemId);
    storage.setItem(STORAGE_KEY, JSON.stringify([...links, link].slice(-50)));
  } catch {
    // Storage can be full or blocked (private mode); the custom property still holds the link.
  }
}

export function findAppointmentLink(itemId: string, storage: Storage | undefined = globalThis.localStorage): AppointmentLink | undefined {
  return storage ? readLinks(storage).find((l) => l.itemId === itemId) : undefined;
}

function readLinks(storage: Storage): AppointmentLink[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((l): l is AppointmentLink => typeof l?.itemId === "string" && typeof l?.circleId === "string") : [];
  } catch {
    return [];
  }
}
