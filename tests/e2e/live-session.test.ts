import type { BrowserContext, FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { openHost, startStack, surfaceFrame, type Stack } from "./harness";

/**
 * Issue #4 "Done when", as new users try it in sandbox mode: a booked circle's meeting opened in
 * the sandbox Teams host by two members in two browser windows. The facilitator starts and
 * advances the run, the other member's panel follows; the other member has no way to advance (and
 * the API refuses if they try); a demo user outside the circle opening the same meeting sees a clear
 * message and none of the circle; a commitment card typed as markup stays text in the panel and
 * in the Adaptive Card posted to the meeting chat, and it becomes a To Do task. Questions and notes
 * typed as markup stay text in both windows; circle notes reach the other window live, private
 * notes never do. Then a fortnight passes (the process clock moves on, as the API's clock is the
 * process's): the next session's review segment brings the cards back, a member marks theirs
 * "partly" with a line of learning, the other window sees it, and it is kept.
 *
 * The circle is created and booked through the API (the personal-tab flow has its own suite,
 * circle-booking.test.ts) so this file spends its time in the meeting.
 */

const PRIYA = "priya.raman@contoso.example";
const MEGAN = "megan.bowen@contoso.example";
const ALEX = "alex.wilber@contoso.example";
const OUTSIDER = "diego.siciliani@contoso.example";
const GRAPH = "https://graph.microsoft.com";
const XSS = "<img src=x onerror=alert(1)>";
const CIRCLE_NAME = "Live session leads";

let stack: Stack;
let chatId: string;
let sessionId: string;
const byUpn = new Map<string, { id: string; displayName: string }>();
/** The member the rotation made facilitator today, and another member who is not. */
let facilitatorUpn: string;
let otherUpn: string;
const contexts: BrowserContext[] = [];
let facilitatorPage: Page;
let otherPage: Page;
/** Every JavaScript dialog (alert, confirm, prompt) any window of the suite opened. */
const dialogs: string[] = [];

async function token(upn: string, audience?: string): Promise<string> {
  const res = await fetch(`${stack.sandboxUrl}/identity/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ upn, ...(audience ? { audience } : {}) }),
  });
  if (!res.ok) throw new Error(`No sandbox token for ${upn}: ${res.status}`);
  return z.object({ access_token: z.string() }).parse(await res.json()).access_token;
}

async function api(upn: string, method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${stack.appUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${await token(upn)}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** A new browser window (its own context: own storage, own connections) signed in as `upn`, in the meeting. */
async function openMeetingAs(upn: string): Promise<Page> {
  const context = await stack.browser.newContext({ viewport: { width: 1400, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on("dialog", (dialog) => {
    dialogs.push(`${upn}: ${dialog.type()} ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  await openHost(page, stack.sandboxUrl, { view: "meeting", user: upn, meeting: chatId });
  return page;
}

const panelOf = (page: Page): FrameLocator => surfaceFrame(page, "sidepanel");
const visible = (locator: { isVisible(): Promise<boolean> }) => () => locator.isVisible();
/** "Segment 2 of 7 · 10 min · Running", as the panel shows it. */
const segmentLine = (page: Page) => () =>
  panelOf(page)
    .getByRole("region", { name: "Current segment" })
    .getByText(/^Segment \d+ of \d+/)
    .textContent({ timeout: 5_000 })
    .catch(() => null);

const IdSchema = z.object({ id: z.string() });
const RolesSchema = z.object({ facilitator: z.string(), timekeeper: z.string().nullable() });
const FoundSchema = z.object({ status: z.literal("linked"), session: z.object({ id: z.string(), state: z.object({ roles: RolesSchema }) }) });

beforeAll(async () => {
  stack = await startStack();
  for (const u of stack.users) byUpn.set(u.userPrincipalName.toLowerCase(), { id: u.id, displayName: u.displayName });
  for (const upn of [PRIYA, MEGAN, ALEX, OUTSIDER]) if (!byUpn.has(upn)) throw new Error(`The sandbox should seed ${upn}.`);

  // Priya creates a circle with Megan and Alex and books it (first session a week out, 10:00 London).
  const created = await api(PRIYA, "POST", "/api/circles", {
    name: CIRCLE_NAME,
    purpose: "Practise hard conversations",
    members: [MEGAN, ALEX],
    formatId: "coaching-circle",
    cadence: "biweekly",
    sessionMinutes: 60,
    sessionCount: 4,
    timeZone: "Europe/London",
    charter: ["What is said here stays here."],
  });
  if (created.status !== 201) throw new Error(`createCircle answered ${created.status}: ${JSON.stringify(created.body)}`);
  const circleId = IdSchema.parse(created.body).id;
  const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const booked = await api(PRIYA, "POST", `/api/circles/${circleId}/booking`, { start: `${day}T10:00:00+00:00`, timeZone: "Europe/London" });
  if (booked.status !== 202) throw new Error(`bookSeries answered ${booked.status}: ${JSON.stringify(booked.body)}`);
  const { jobId } = z.object({ jobId: z.string() }).parse(booked.body);
  // expect.poll only runs inside a test: wait for the booking job by hand.
  for (let waited = 0; ; waited += 250) {
    const job = z.object({ status: z.string(), error: z.unknown().optional() }).parse((await api(PRIYA, "GET", `/api/jobs/${jobId}`)).body);
    if (job.status === "succeeded") break;
    if (job.status === "failed" || waited > 90_000) throw new Error(`The booking job did not succeed: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const circle = z.object({ series: z.object({ chatId: z.string() }) }).parse((await api(PRIYA, "GET", `/api/circles/${circleId}`)).body);
  chatId = circle.series.chatId;

  // Today's roles come from the rotation; the test follows whoever it made facilitator.
  const found = FoundSchema.parse((await api(PRIYA, "GET", `/api/sessions/current?chatId=${encodeURIComponent(chatId)}`)).body);
  sessionId = found.session.id;
  const upnOfId = (id: string) => [...byUpn.entries()].find(([, u]) => u.id === id)?.[0];
  const { facilitator, timekeeper } = found.session.state.roles;
  facilitatorUpn = upnOfId(facilitator)!;
  // Prefer a member who keeps no time either, so the panel shows them no run controls at all.
  otherUpn = [PRIYA, MEGAN, ALEX].find((u) => u !== facilitatorUpn && byUpn.get(u)!.id !== timekeeper) ?? [PRIYA, MEGAN, ALEX].find((u) => u !== facilitatorUpn)!;
  if (!facilitatorUpn) throw new Error(`Today's facilitator ${facilitator} is not one of the circle's members.`);

  facilitatorPage = await openMeetingAs(facilitatorUpn);
  otherPage = await openMeetingAs(otherUpn);
}, 180_000);

afterAll(async () => {
  vi.useRealTimers();
  for (const context of contexts) await context.close().catch(() => undefined);
  await stack?.close();
});

describe("the live session in the meeting side panel, two members in two windows", () => {
  it("shows both members the same circle and session, not started", async () => {
    for (const page of [facilitatorPage, otherPage]) {
      const panel = panelOf(page);
      await expect.poll(visible(panel.getByRole("heading", { name: CIRCLE_NAME })), { timeout: 30_000 }).toBe(true);
      await expect.poll(segmentLine(page), { timeout: 10_000 }).toMatch(/^Segment 1 of \d+ · .* · Not started$/);
      await expect.poll(visible(panel.getByRole("heading", { name: "Today's roles" }))).toBe(true);
    }
    const facilitatorName = byUpn.get(facilitatorUpn)!.displayName;
    // The other member sees who facilitates today.
    await expect.poll(visible(panelOf(otherPage).getByRole("listitem").filter({ hasText: `${facilitatorName}: Facilitator` }))).toBe(true);
  });

  it("gives only the facilitator the controls to run the session", async () => {
    const mine = panelOf(facilitatorPage);
    await expect.poll(visible(mine.getByRole("button", { name: "Start session" })), { timeout: 10_000 }).toBe(true);
    const theirs = panelOf(otherPage);
    await expect(theirs.getByRole("button", { name: "Start session" }).count()).resolves.toBe(0);
  });

  it("starts on the facilitator's click and the other window follows", async () => {
    await panelOf(facilitatorPage).getByRole("button", { name: "Start session" }).click();
    await expect.poll(segmentLine(facilitatorPage), { timeout: 5_000 }).toMatch(/^Segment 1 of \d+ · .* · Running$/);
    await expect.poll(segmentLine(otherPage), { timeout: 5_000 }).toMatch(/^Segment 1 of \d+ · .* · Running$/);
  });

  it("advances segment by segment on the facilitator's clicks, and the other window follows each one", async () => {
    const next = panelOf(facilitatorPage).getByRole("button", { name: "Next segment" });
    for (const n of [2, 3]) {
      await expect.poll(() => next.isEnabled(), { timeout: 5_000 }).toBe(true);
      await next.click();
      const expected = new RegExp(`^Segment ${n} of \\d+ · `);
      await expect.poll(segmentLine(facilitatorPage), { timeout: 5_000 }).toMatch(expected);
      await expect.poll(segmentLine(otherPage), { timeout: 5_000 }).toMatch(expected);
      // Same segment name on both sides.
      const title = async (page: Page) => panelOf(page).getByRole("region", { name: "Current segment" }).getByRole("heading").textContent();
      expect(await title(otherPage)).toBe(await title(facilitatorPage));
    }
  });

  it("gives the other member no way to advance, and the API refuses their intent", async () => {
    const theirs = panelOf(otherPage);
    for (const name of ["Next segment", "Previous", "End session", "Start session"]) {
      await expect(theirs.getByRole("button", { name, exact: true }).count()).resolves.toBe(0);
    }
    const refused = await api(otherUpn, "POST", `/api/sessions/${sessionId}/intents`, { type: "next" });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: "forbidden" } });
    // Nothing moved.
    await expect.poll(segmentLine(facilitatorPage), { timeout: 5_000 }).toMatch(/^Segment 3 of /);
    await expect.poll(segmentLine(otherPage), { timeout: 5_000 }).toMatch(/^Segment 3 of /);
  });

  it("shows a demo user outside the circle a clear message and nothing of the circle", async () => {
    const page = await openMeetingAs(OUTSIDER);
    const panel = panelOf(page);
    await expect.poll(visible(panel.getByText("This session is for its circle's members.")), { timeout: 30_000 }).toBe(true);
    await expect.poll(visible(panel.getByText(/not a member/))).toBe(true);
    const text = await panel.locator("body").innerText();
    expect(text).not.toContain(CIRCLE_NAME);
    expect(text).not.toContain("What is said here stays here.");
    expect(text).not.toMatch(/Segment \d+ of/);
    for (const upn of [PRIYA, MEGAN, ALEX]) expect(text).not.toContain(byUpn.get(upn)!.displayName);
    // And the API holds the same line.
    expect((await api(OUTSIDER, "GET", `/api/sessions/${sessionId}`)).status).toBe(404);
  });

  it("keeps a commitment typed as markup as text in the panel, in the meeting chat's Adaptive Card and in To Do", async () => {
    const panel = panelOf(otherPage);
    const card = panel.locator("section", { has: panel.getByRole("heading", { name: "My commitment" }) });
    await card.getByRole("textbox", { name: /I will/ }).fill(XSS);
    await card.getByRole("button", { name: "Post my card to the chat" }).click();
    await expect.poll(visible(card.getByRole("status").filter({ hasText: "Posted to the meeting chat." })), { timeout: 30_000 }).toBe(true);
    await expect.poll(visible(card.getByRole("status").filter({ hasText: "Added to Microsoft To Do." }))).toBe(true);
    // Shown as the characters typed, and no element was made of them.
    expect(await card.getByText(`I will ${XSS}`, { exact: true }).count()).toBe(1);
    for (const page of [facilitatorPage, otherPage]) {
      expect(await panelOf(page).locator('img[src="x"]').count()).toBe(0);
    }

    // In the sandbox meeting chat: a message from the member with one Adaptive Card attachment.
    const graphToken = await token(PRIYA, GRAPH);
    const res = await fetch(`${stack.sandboxUrl}/v1.0/chats/${encodeURIComponent(chatId)}/messages`, { headers: { authorization: `Bearer ${graphToken}` } });
    expect(res.status).toBe(200);
    const messages = z
      .object({
        value: z.array(
          z.object({
            from: z.object({ user: z.object({ id: z.string() }).nullable().optional() }).nullable().optional(),
            body: z.object({ content: z.string() }),
            attachments: z.array(z.object({ id: z.string(), contentType: z.string(), content: z.string().nullable().optional() })),
          }),
        ),
      })
      .parse(await res.json()).value;
    const posted = messages.filter((m) => m.attachments.some((a) => a.contentType === "application/vnd.microsoft.card.adaptive"));
    expect(posted).toHaveLength(1);
    const message = posted[0]!;
    expect(message.from?.user?.id).toBe(byUpn.get(otherUpn)!.id);
    const attachment = message.attachments[0]!;
    expect(attachment.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(message.body.content).toBe(`<attachment id="${attachment.id}"></attachment>`);
    const adaptive = z.object({ type: z.literal("AdaptiveCard"), version: z.string(), body: z.array(z.unknown()).min(1) }).parse(JSON.parse(attachment.content ?? ""));
    // Adaptive Card TextBlocks render markdown, not HTML: the member's text arrives escaped, intact.
    const texts = JSON.stringify(adaptive.body);
    expect(texts).not.toContain("<img");
    expect(texts).toMatch(/&lt;img src=x onerror=alert\\*\(1\\*\)&gt;/);

    // And as a To Do task of the member, under the text they typed.
    const todoToken = await token(otherUpn, GRAPH);
    const graphGet = async (path: string) => {
      const r = await fetch(`${stack.sandboxUrl}/v1.0${path}`, { headers: { authorization: `Bearer ${todoToken}` } });
      expect(r.status).toBe(200);
      return (await r.json()) as unknown;
    };
    const lists = z.object({ value: z.array(z.object({ id: z.string(), displayName: z.string() })) }).parse(await graphGet("/me/todo/lists")).value;
    const list = lists.find((l) => l.displayName === "Coaching commitments");
    expect(list).toBeDefined();
    const tasks = z.object({ value: z.array(z.object({ title: z.string() })) }).parse(await graphGet(`/me/todo/lists/${encodeURIComponent(list!.id)}/tasks`)).value;
    expect(tasks.map((t) => t.title)).toContain(`I will ${XSS}`);
  });

  it("keeps a question typed as markup as text in both windows", async () => {
    const theirs = panelOf(otherPage);
    const question = `What would ${XSS} change?`;
    await theirs.getByRole("textbox", { name: "Your question" }).fill(question);
    await theirs.getByRole("button", { name: "Add question" }).click();
    for (const page of [otherPage, facilitatorPage]) {
      const board = panelOf(page).getByRole("list", { name: "Questions" });
      await expect.poll(visible(board.getByText(question, { exact: true })), { timeout: 5_000 }).toBe(true);
      expect(await panelOf(page).locator('img[src="x"]').count()).toBe(0);
    }
  });

  it("brings a circle note to the other window live, as text, and never a private one", async () => {
    const notesOf = (page: Page) => panelOf(page).getByRole("list", { name: "Notes" });
    const write = async (page: Page, text: string, who: "Only me" | "The circle") => {
      const panel = panelOf(page);
      await panel.getByRole("textbox", { name: "Note" }).fill(text);
      await panel.getByRole("radio", { name: who }).check();
      await panel.getByRole("button", { name: "Save note" }).click();
      await expect.poll(visible(notesOf(page).getByText(text, { exact: true })), { timeout: 5_000 }).toBe(true);
    };
    const circleNote = `Theme so far: ${XSS}`;
    await write(facilitatorPage, circleNote, "The circle");
    await expect.poll(visible(notesOf(otherPage).getByText(circleNote, { exact: true })), { timeout: 5_000 }).toBe(true);
    await expect.poll(visible(notesOf(otherPage).getByText(`Circle: members · from ${byUpn.get(facilitatorUpn)!.displayName}`))).toBe(true);

    await write(otherPage, "My private worry", "Only me");
    // A circle note written after it reaches the facilitator's window on the same stream, after anything before it.
    await write(otherPage, "Shared after the private one", "The circle");
    await expect.poll(visible(notesOf(facilitatorPage).getByText("Shared after the private one", { exact: true })), { timeout: 5_000 }).toBe(true);
    expect(await panelOf(facilitatorPage).locator("body").innerText()).not.toContain("My private worry");
    for (const page of [facilitatorPage, otherPage]) expect(await panelOf(page).locator('img[src="x"]').count()).toBe(0);
  });

  it("posts the facilitator's card too, then the facilitator ends the session", async () => {
    const panel = panelOf(facilitatorPage);
    const card = panel.locator("section", { has: panel.getByRole("heading", { name: "My commitment" }) });
    await card.getByRole("textbox", { name: /I will/ }).fill("ask two people for feedback on my 1:1s");
    await card.getByRole("textbox", { name: /know it worked/ }).fill("I change one habit");
    await card.getByRole("button", { name: "Post my card to the chat" }).click();
    await expect.poll(visible(card.getByRole("status").filter({ hasText: "Posted to the meeting chat. Added to Microsoft To Do." })), { timeout: 30_000 }).toBe(true);

    const graphToken = await token(facilitatorUpn, GRAPH);
    const res = await fetch(`${stack.sandboxUrl}/v1.0/chats/${encodeURIComponent(chatId)}/messages`, { headers: { authorization: `Bearer ${graphToken}` } });
    const messages = z.object({ value: z.array(z.object({ attachments: z.array(z.object({ contentType: z.string(), content: z.string().nullable().optional() })) })) }).parse(await res.json()).value;
    const cards = messages.flatMap((m) => m.attachments.filter((a) => a.contentType === "application/vnd.microsoft.card.adaptive"));
    expect(cards).toHaveLength(2);
    expect(cards.some((c) => (c.content ?? "").includes("ask two people for feedback on my 1:1s"))).toBe(true);

    // To the last segment, then end.
    for (let i = 0; i < 10; i++) {
      const end = panel.getByRole("button", { name: "End session" });
      if (await end.isVisible()) break;
      await panel.getByRole("button", { name: "Next segment" }).click();
      await expect.poll(segmentLine(facilitatorPage), { timeout: 5_000 }).toMatch(new RegExp(`^Segment ${i + 4} of `));
    }
    await panel.getByRole("button", { name: "End session" }).click();
    for (const page of [facilitatorPage, otherPage]) await expect.poll(segmentLine(page), { timeout: 5_000 }).toMatch(/· Session ended$/);
  });

  describe("a fortnight later, the next session", () => {
    let nextFacilitatorUpn: string;
    let reviewerUpn: string;
    let nextSessionId: string;
    let reviewerPage: Page;
    let watcherPage: Page;
    /** The window of whoever facilitates this time (the reviewer or the watcher). */
    let runnerPage: Page;
    const learning = `Ask earlier ${XSS}`;

    beforeAll(async () => {
      // The API runs in this process: moving the process clock on is the fortnight passing.
      // Only Date is faked, and it keeps ticking; timers stay real.
      vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true, now: Date.now() + 14 * 86_400_000 });
      for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
      const found = FoundSchema.parse((await api(PRIYA, "GET", `/api/sessions/current?chatId=${encodeURIComponent(chatId)}`)).body);
      nextSessionId = found.session.id;
      nextFacilitatorUpn = [...byUpn.entries()].find(([, u]) => u.id === found.session.state.roles.facilitator)![0];
      // The member who wrote the markup card reviews it; someone else watches.
      reviewerUpn = otherUpn;
      const watcherUpn = reviewerUpn === nextFacilitatorUpn ? [PRIYA, MEGAN, ALEX].find((u) => u !== reviewerUpn)! : nextFacilitatorUpn;
      reviewerPage = await openMeetingAs(reviewerUpn);
      watcherPage = await openMeetingAs(watcherUpn);
      runnerPage = reviewerUpn === nextFacilitatorUpn ? reviewerPage : watcherPage;
    }, 120_000);

    it("is a new session, and its review segment opens with last session's cards, as text", async () => {
      expect(nextSessionId).not.toBe(sessionId);
      const panel = panelOf(runnerPage);
      await expect.poll(segmentLine(runnerPage), { timeout: 30_000 }).toMatch(/^Segment 1 of \d+ · .* · Not started$/);
      await panel.getByRole("button", { name: "Start session" }).click();
      const next = panel.getByRole("button", { name: "Next segment" });
      await expect.poll(() => next.isEnabled(), { timeout: 5_000 }).toBe(true);
      await next.click();
      for (const page of [watcherPage, reviewerPage]) {
        const clock = panelOf(page).getByRole("region", { name: "Current segment" });
        await expect.poll(() => clock.getByRole("heading").textContent(), { timeout: 5_000 }).toBe("commitment review");
        const review = panelOf(page).locator("section", { has: panelOf(page).getByRole("heading", { name: "Last session's commitments" }) });
        await expect.poll(visible(review.getByText(`I will ${XSS}`, { exact: true })), { timeout: 5_000 }).toBe(true);
        await expect.poll(visible(review.getByText("I will ask two people for feedback on my 1:1s", { exact: true }))).toBe(true);
        expect(await panelOf(page).locator('img[src="x"]').count()).toBe(0);
      }
    });

    it("lets a member mark their card partly done with a line of learning; the other window sees it", async () => {
      const panel = panelOf(reviewerPage);
      const form = panel.getByRole("form", { name: "Review my commitment" });
      await form.getByRole("combobox", { name: "How did it go?" }).selectOption("partly");
      await form.getByRole("textbox", { name: "One line of learning" }).fill(learning);
      await form.getByRole("button", { name: "Save review" }).click();
      for (const page of [reviewerPage, watcherPage]) {
        await expect.poll(visible(panelOf(page).getByText(`Partly · ${learning}`, { exact: true })), { timeout: 5_000 }).toBe(true);
        expect(await panelOf(page).locator('img[src="x"]').count()).toBe(0);
      }
      // Only the card's owner may mark it: the watcher has no form on it.
      const theirCard = panelOf(watcherPage).getByRole("listitem").filter({ hasText: `I will ${XSS}` });
      expect(await theirCard.getByRole("form", { name: "Review my commitment" }).count()).toBe(0);
    });

    it("keeps the review: the API returns it and a window opened afresh shows it", async () => {
      const view = z
        .object({ session: z.object({ review: z.array(z.object({ ownerId: z.string(), action: z.string(), review: z.object({ status: z.string(), learning: z.string() }).nullable() })) }) })
        .parse((await api(reviewerUpn, "GET", `/api/sessions/current?chatId=${encodeURIComponent(chatId)}`)).body);
      const mine = view.session.review.find((c) => c.ownerId === byUpn.get(reviewerUpn)!.id);
      expect(mine).toMatchObject({ action: XSS, review: { status: "partly", learning } });
      const reopened = await openMeetingAs(reviewerUpn);
      await expect.poll(visible(panelOf(reopened).getByText(`Partly · ${learning}`, { exact: true })), { timeout: 30_000 }).toBe(true);
    });
  });

  it("never opened a dialog in any window", () => {
    expect(dialogs).toEqual([]);
  });
});
