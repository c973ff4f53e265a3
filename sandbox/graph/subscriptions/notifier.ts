import { randomUUID } from "node:crypto";

export interface DeliveryRecord {
  kind: "change" | "lifecycle";
  url: string;
  payload: unknown;
  /** Status of the last attempt, or undefined when the endpoint was unreachable. */
  status?: number;
  attempts: number;
  delivered: boolean;
}

export interface ValidationResult {
  ok: boolean;
  reason?: string;
}

const RETRY_DELAYS_MS = [50, 250];
const DELIVERY_TIMEOUT_MS = 5_000;
/** Graph gives the endpoint 10 seconds to answer the validation request. */
export const VALIDATION_TIMEOUT_MS = 10_000;

/**
 * Sends change and lifecycle notifications like Graph does: fire-and-forget POSTs with a small
 * retry. Tests await `flush()` to see every pending delivery settle.
 */
export class Notifier {
  private readonly pending = new Set<Promise<DeliveryRecord>>();
  private readonly deliveries: DeliveryRecord[] = [];

  constructor(private readonly fetchImpl: typeof fetch = fetch) {}

  send(kind: DeliveryRecord["kind"], url: string, payload: unknown): Promise<DeliveryRecord> {
    const p = this.deliver(kind, url, payload).finally(() => this.pending.delete(p));
    this.pending.add(p);
    return p;
  }

  /** Resolves once every delivery started so far (and any started meanwhile) has settled. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  log(): readonly DeliveryRecord[] {
    return this.deliveries;
  }

  clearLog(): void {
    this.deliveries.length = 0;
  }

  private async deliver(kind: DeliveryRecord["kind"], url: string, payload: unknown): Promise<DeliveryRecord> {
    const record: DeliveryRecord = { kind, url, payload, attempts: 0, delivered: false };
    this.deliveries.push(record);
    for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt - 1]));
      record.attempts += 1;
      try {
        const res = await this.fetchImpl(url, {
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8", "client-request-id": randomUUID() },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        });
        record.status = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          record.delivered = true;
          return record;
        }
      } catch {
        record.status = undefined;
      }
    }
    return record;
  }

  /**
   * The subscription handshake: POST `url?validationToken=…` and expect 200 text/plain echoing
   * the token within 10 s. The token has spaces and colons, like Graph's, so endpoints must decode it.
   */
  async validateEndpoint(url: string): Promise<ValidationResult> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const target = `${url}${url.includes("?") ? "&" : "?"}validationToken=${encodeURIComponent(token)}`;
    let res: Response;
    try {
      res = await this.fetchImpl(target, { method: "POST", headers: { "content-type": "text/plain; charset=utf-8" }, body: "", signal: AbortSignal.timeout(VALIDATION_TIMEOUT_MS) });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
      return { ok: false, reason: timedOut ? "Subscription validation request timed out." : "Subscription validation request failed. The notification endpoint could not be reached." };
    }
    const text = await res.text().catch(() => "");
    if (res.status !== 200) return { ok: false, reason: "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request." };
    if (!(res.headers.get("content-type") ?? "").toLowerCase().startsWith("text/plain")) {
      return { ok: false, reason: "Subscription validation request failed. Response must have Content-Type text/plain." };
    }
    if (text !== token) return { ok: false, reason: "Subscription validation request failed. Response must exactly match validationToken query parameter." };
    return { ok: true };
  }
}
