import type { AppointmentComposer } from "../../host";

/** The Outlook category a coaching session carries (also used on members' calendars). */
export const coachingCategory = "Coaching circle";
/** Custom property that ties the appointment to its circle; the API reads it back via Graph. */
export const circleIdProperty = "coachingCircleId";

/**
 * Marks the draft as one of the circle's sessions: a neutral subject when there is none (subjects
 * show on free/busy, so they never name the circle's topic), the coaching category and the circle id.
 */
export async function markAsSession(composer: AppointmentComposer, circleId: string): Promise<void> {
  const subject = await composer.getSubject();
  if (!subject.trim()) await composer.setSubject("Coaching circle");
  await composer.addCategories([coachingCategory]);
  await composer.setCustomProperty(circleIdProperty, circleId);
  await composer.saveCustomProperties();
}
