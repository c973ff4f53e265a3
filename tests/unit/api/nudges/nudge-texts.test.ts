import { describe, expect, it } from "vitest";
import { clip, toFeedText } from "../../../../api/nudges/feed-text";
import { describeWhen, momentumFadingText, prepReminderText, reflectionPromptText } from "../../../../api/nudges/nudge-texts";

describe("toFeedText", () => {
  it("keeps markup as text that cannot form a tag", () => {
    const out = toFeedText("<img src=x onerror=alert(1)>");
    expect(out).toBe("\u2039img src=x onerror=alert(1)\u203A");
    expect(out).not.toMatch(/[<>]/);
    expect(toFeedText('<at id="0">Megan</at> & co')).toBe('\u2039at id="0"\u203AMegan\u2039/at\u203A & co');
  });

  it("drops bidi overrides and controls and keeps the feed on one line", () => {
    expect(toFeedText("Call\u202E Sam\r\n\n about  the\tplan\u0007")).toBe("Call Sam about the plan");
  });

  it("is idempotent (the service applies it to text the builders already cleaned)", () => {
    const once = toFeedText("a <b> c\n d");
    expect(toFeedText(once)).toBe(once);
  });
});

describe("clip", () => {
  it("cuts to the limit with an ellipsis, never inside a surrogate pair", () => {
    expect(clip("short", 150)).toBe("short");
    const long = `${"a".repeat(148)}😀😀😀`;
    const out = clip(long, 150);
    expect([...out]).toHaveLength(150);
    expect(out.endsWith("😀…")).toBe(true);
  });
});

describe("describeWhen", () => {
  it("says today, tomorrow or the date, at the member's local time", () => {
    expect(describeWhen("2026-06-16T14:00:00Z", "2026-06-15T08:00:00Z", "Europe/London")).toBe("tomorrow at 15:00");
    expect(describeWhen("2026-06-16T14:00:00Z", "2026-06-16T08:00:00Z", "Europe/London")).toBe("today at 15:00");
    expect(describeWhen("2026-06-16T14:00:00Z", "2026-06-15T03:30:00Z", "Asia/Kolkata")).toBe("tomorrow at 19:30");
    expect(describeWhen("2026-06-18T14:00:00Z", "2026-06-15T08:00:00Z", "Europe/London")).toBe("on Thu 18 Jun at 15:00");
  });
});

describe("nudge texts", () => {
  it("prep reminder: own commitments, and the case owner is told to bring the case", () => {
    const owner = prepReminderText({ circleName: "Leads", when: "tomorrow at 15:00", isCaseOwner: true, ownCommitments: ["Call Sam", "Write the plan"] });
    expect(owner.previewText).toBe("Leads meets tomorrow at 15:00. You are the case owner: bring a case. Your commitments: “Call Sam”; “Write the plan”");
    expect(owner.templateParameters).toEqual({ circleName: "Leads", when: "tomorrow at 15:00" });
    const other = prepReminderText({ circleName: "Leads", when: "tomorrow at 15:00", isCaseOwner: false, ownCommitments: [] });
    expect(other.previewText).toBe("Leads meets tomorrow at 15:00. Bring a case or a question.");
  });

  it("reflection prompt carries no session content", () => {
    expect(reflectionPromptText({ circleName: "Leads" }).templateParameters).toEqual({ circleName: "Leads" });
  });

  it("momentum fading gives the reason in counts", () => {
    expect(momentumFadingText({ circleName: "Leads", lastOutcomes: ["skipped", "held", "skipped"] }).templateParameters.reason).toBe("2 of the last 3 sessions were skipped");
    expect(momentumFadingText({ circleName: "Leads", lastOutcomes: ["notHeld", "skipped", "held"] }).templateParameters.reason).toBe("2 of the last 3 sessions were not held or skipped");
  });
});
