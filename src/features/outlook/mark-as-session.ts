import type { AppointmentComposer } from "../../host";
import type { SessionPlan } from "./session-plan";

export type SessionStep = "subject" | "recurrence" | "attendees" | "agenda" | "category" | "properties" | "save";

export const SESSION_STEP_LABELS: Record<SessionStep, string> = {
  subject: "Setting the subject",
  recurrence: "Making it a recurring series",
  attendees: "Adding the circle's members",
  agenda: "Adding the agenda",
  category: "Marking it as protected coaching time",
  properties: "Linking it to the circle",
  save: "Saving the appointment",
};

/**
 * Applies the plan to the appointment being composed, one Office call at a time (each says what
 * failed), then saves the draft. Resolves with Outlook's item id.
 * @throws OfficeError from the first Outlook call that fails; earlier changes stay on the draft.
 */
export async function markAsSession(composer: AppointmentComposer, plan: SessionPlan, onStep: (step: SessionStep) => void = () => undefined): Promise<string> {
  onStep("subject");
  const subject = await composer.getSubject();
  if (!subject.trim()) await composer.setSubject(plan.subjectIfEmpty);
  onStep("recurrence");
  await composer.setRecurrence(plan.recurrence);
  if (plan.attendees.length > 0) {
    onStep("attendees");
    await composer.addRequiredAttendees(plan.attendees);
  }
  onStep("agenda");
  // Prepended, not replaced: the body may already hold the Teams meeting link or the user's words.
  await composer.prependBodyHtml(plan.agendaHtml);
  onStep("category");
  await composer.addCategories([plan.category]);
  onStep("properties");
  for (const [name, value] of Object.entries(plan.properties)) await composer.setCustomProperty(name, value);
  await composer.saveCustomProperties();
  onStep("save");
  return composer.save();
}
