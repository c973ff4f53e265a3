import { describe, expect, it } from "vitest";
import { IntentWriter } from "../../../../api/sessions/intent-writer";
import type { AppliedIntent } from "../../../../api/sessions/repository";
import { createRunState } from "../../../../api/sessions/run-state";
import type { Db } from "../../../../api/storage";

const roles = { facilitator: "u1", caseOwner: null, timekeeper: null, observer: null, coaches: [] };
function applied(sessionId: string, fromVersion = 0): AppliedIntent {
  const state = { ...createRunState({ sessionId, segments: [{ id: "a", name: "check-in", minutes: 5 }], roles }), version: fromVersion + 1 };
  return { sessionId, fromVersion, state, actorId: "u1", intentType: "start", payload: { type: "start" }, now: "2030-01-01T00:00:00.000Z" };
}

/** A store that records each transaction's batch; "stale" sessions lose the version check, "broken" ones throw. */
function fakeStore(opts: { stale?: string[]; broken?: string[] } = {}) {
  const transactions: string[][] = [];
  const store = async (_db: Db, batch: readonly AppliedIntent[]) => {
    transactions.push(batch.map((b) => b.sessionId));
    if (batch.some((b) => opts.broken?.includes(b.sessionId))) throw new Error("disk I/O error");
    return batch.map((b) => !opts.stale?.includes(b.sessionId));
  };
  return { store, transactions };
}

describe("IntentWriter (group commit)", () => {
  it("commits intents that arrive together in one transaction, and answers each once it is committed", async () => {
    const { store, transactions } = fakeStore({ stale: ["s2"] });
    const writer = new IntentWriter({} as Db, store);
    const results = await Promise.all(["s1", "s2", "s3"].map((s) => writer.save(applied(s))));
    expect(transactions).toEqual([["s1", "s2", "s3"]]);
    // s2's stored version had moved on: nothing was written for it, and it is told so.
    expect(results).toEqual([true, false, true]);
  });

  it("queues what arrives during a commit for the next one, in arrival order", async () => {
    const { store, transactions } = fakeStore();
    const writer = new IntentWriter({} as Db, store);
    const first = writer.save(applied("s1"));
    await new Promise((r) => setImmediate(r));
    const later = [writer.save(applied("s1", 1)), writer.save(applied("s2"))];
    await Promise.all([first, ...later]);
    expect(transactions).toEqual([["s1"], ["s1", "s2"]]);
  });

  it("does not let one failing write sink the others of its transaction", async () => {
    const { store } = fakeStore({ broken: ["bad"] });
    const writer = new IntentWriter({} as Db, store);
    const outcomes = await Promise.allSettled(["s1", "bad", "s2"].map((s) => writer.save(applied(s))));
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(outcomes[1]).toMatchObject({ reason: new Error("disk I/O error") });
  });

  it("drains: resolves only once everything queued is committed", async () => {
    const { store, transactions } = fakeStore();
    const writer = new IntentWriter({} as Db, store);
    void writer.save(applied("s1"));
    void writer.save(applied("s2"));
    await writer.drain();
    expect(transactions.flat()).toEqual(["s1", "s2"]);
  });
});

describe("IntentWriter ordering", () => {
  it("never puts two writes of the same session in one transaction: the second waits for the next commit", async () => {
    const { store, transactions } = fakeStore();
    const writer = new IntentWriter({} as Db, store);
    await Promise.all([writer.save(applied("s1")), writer.save(applied("s1", 1)), writer.save(applied("s2"))]);
    expect(transactions).toEqual([["s1", "s2"], ["s1"]]);
  });
});
