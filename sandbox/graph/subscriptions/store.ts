export type ChangeType = "created" | "updated" | "deleted";

export interface SubscriptionRecord {
  id: string;
  /** As the client wrote it, e.g. "/users/{id}/events" or "me/events". */
  resource: string;
  /** The mailbox whose events are watched. */
  userId: string;
  changeTypes: ChangeType[];
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationDateTime: string;
  creatorId: string;
  applicationId: string;
}

export class SubscriptionStore {
  private readonly subs = new Map<string, SubscriptionRecord>();
  add(s: SubscriptionRecord): void {
    this.subs.set(s.id, s);
  }
  find(id: string): SubscriptionRecord | undefined {
    return this.subs.get(id);
  }
  remove(id: string): boolean {
    return this.subs.delete(id);
  }
  list(): SubscriptionRecord[] {
    return [...this.subs.values()];
  }
}
