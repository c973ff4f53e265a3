import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { buildCommitmentCard, chatMessageForCard, type AdaptiveCard } from "../../../../api/commitments/commitment-card";
import { CommitmentSchema, type Commitment } from "../../../../api/commitments/schemas";

const COMMITMENT: Commitment = {
  id: "c1",
  ownerName: "Ana Silva",
  action: "I will ask Sam for feedback after the demo",
  dueDate: "2025-03-24",
  signal: "I have two concrete suggestions written down",
  supportWanted: "A nudge on Thursday",
  circleName: "Product leads circle",
  deepLink: "https://teams.microsoft.com/l/entity/app-id/circle?context=%7B%22subEntityId%22%3A%22c1%22%7D",
};

/** Every text a user can read on the card, wherever it sits. */
function allTexts(card: AdaptiveCard): string[] {
  return card.body.flatMap((el) => (el.type === "TextBlock" ? [el.text] : el.facts.flatMap((f) => [f.title, f.value])));
}

describe("buildCommitmentCard", () => {
  it("builds an Adaptive Card 1.5 with text blocks, facts and one button to the tab", () => {
    const card = buildCommitmentCard(COMMITMENT);
    expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.5", $schema: "http://adaptivecards.io/schemas/adaptive-card.json" });
    expect(Array.isArray(card.body)).toBe(true);
    expect(card.body.map((el) => el.type)).toEqual(["TextBlock", "TextBlock", "TextBlock", "FactSet"]);
    for (const el of card.body) if (el.type === "TextBlock") expect(el.wrap).toBe(true);
    expect(card.actions).toEqual([{ type: "Action.OpenUrl", title: "Open in Coaching Circles", url: COMMITMENT.deepLink }]);
    // Survives the trip through Graph as a JSON string.
    expect(JSON.parse(JSON.stringify(card))).toEqual(card);
  });

  it("shows the owner, circle, action (with 'I will' once), due day, signal and support wanted", () => {
    const texts = allTexts(buildCommitmentCard(COMMITMENT));
    expect(texts).toContain("Ana Silva · Product leads circle");
    expect(texts).toContain("I will ask Sam for feedback after the demo");
    expect(texts).toContain("Mon 24 Mar 2025");
    expect(texts).toContain("I have two concrete suggestions written down");
    expect(texts).toContain("A nudge on Thursday");
  });

  it("leaves out the signal and support facts when they are empty", () => {
    const card = buildCommitmentCard({ ...COMMITMENT, signal: "", supportWanted: undefined });
    const facts = card.body.find((el) => el.type === "FactSet");
    expect(facts).toEqual({ type: "FactSet", facts: [{ title: "By", value: "Mon 24 Mar 2025" }] });
  });

  it("keeps injected HTML and Markdown as literal text in every field", () => {
    const hostile = "<img src=x onerror=alert(1)>";
    const markdown = "**bold** [x](javascript:alert(1))";
    const card = buildCommitmentCard({ ...COMMITMENT, ownerName: hostile, circleName: markdown, action: markdown, signal: hostile, supportWanted: markdown });
    const texts = allTexts(card);
    expect(texts).toContain("&lt;img src=x onerror=alert\\(1\\)&gt; · \\*\\*bold\\*\\* \\[x\\]\\(javascript:alert\\(1\\)\\)");
    expect(texts).toContain("I will \\*\\*bold\\*\\* \\[x\\]\\(javascript:alert\\(1\\)\\)");
    expect(texts).toContain("&lt;img src=x onerror=alert\\(1\\)&gt;");
    const json = JSON.stringify(card);
    expect(json).not.toContain("<img");
    expect(json).not.toMatch(/[^\\]\[x\]/);
    expect(card.fallbackText).not.toContain("img");
  });

  it("accepts only an https deep link", () => {
    for (const deepLink of ["javascript:alert(1)", "http://teams.microsoft.com/l/entity/x", "data:text/html,<b>x</b>", "https://teams.microsoft.com@evil.example/", "not a url"]) {
      expect(() => buildCommitmentCard({ ...COMMITMENT, deepLink }), deepLink).toThrow(ZodError);
    }
  });

  it("stores a deep link with quotes and angle brackets percent-encoded", () => {
    const card = buildCommitmentCard({ ...COMMITMENT, deepLink: 'https://app.example/tab?x="><b>' });
    expect(card.actions[0]!.url).toBe("https://app.example/tab?x=%22%3E%3Cb%3E");
  });

  it("refuses an empty or over-long action and an impossible due date", () => {
    expect(() => buildCommitmentCard({ ...COMMITMENT, action: "  " })).toThrow(ZodError);
    expect(() => buildCommitmentCard({ ...COMMITMENT, action: "x".repeat(281) })).toThrow(ZodError);
    expect(() => buildCommitmentCard({ ...COMMITMENT, dueDate: "2025-02-30" })).toThrow(ZodError);
    expect(CommitmentSchema.safeParse({ ...COMMITMENT, signal: "x".repeat(281) }).success).toBe(false);
  });

  it("shows the due day the member picked whatever the server's time zone", () => {
    const texts = allTexts(buildCommitmentCard({ ...COMMITMENT, dueDate: "2025-01-01" }));
    expect(texts).toContain("Wed 1 Jan 2025");
  });
});

describe("chatMessageForCard", () => {
  it("wraps the card as a Graph chatMessage whose body references the attachment by id", () => {
    const card = buildCommitmentCard(COMMITMENT);
    const message = chatMessageForCard(card, { attachmentId: "a1b2" });
    expect(message).toEqual({
      body: { contentType: "html", content: '<attachment id="a1b2"></attachment>' },
      attachments: [{ id: "a1b2", contentType: "application/vnd.microsoft.card.adaptive", content: JSON.stringify(card) }],
    });
  });

  it("uses a fresh UUID for each message unless told otherwise", () => {
    const card = buildCommitmentCard(COMMITMENT);
    const a = chatMessageForCard(card);
    const b = chatMessageForCard(card);
    expect(a.attachments[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.attachments[0]!.id).not.toBe(b.attachments[0]!.id);
    expect(a.body.content).toBe(`<attachment id="${a.attachments[0]!.id}"></attachment>`);
  });

  it("refuses an attachment id that could break out of the HTML body", () => {
    expect(() => chatMessageForCard(buildCommitmentCard(COMMITMENT), { attachmentId: '"><script>' })).toThrow(RangeError);
  });
});
