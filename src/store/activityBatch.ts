/**
 * Group commit of Direct Line activities, shared by both backends (no SQL): appends that arrive while a
 * batch is being written wait and go together in the next one. Each append resolves only after the
 * backend's `insert` for its batch has committed; a (conversation, seq) that `insert` did not report as
 * stored (stored already) rejects that append only (DuplicateActivityError); the first of duplicates
 * within a batch is the one stored. If `insert` fails, every append of the batch fails with its error.
 */
import { DuplicateActivityError } from './types';

export interface ActivityRow {
  conversationId: string;
  seq: number;
  json: string;
}

interface PendingRow extends ActivityRow {
  resolve: () => void;
  reject: (err: Error) => void;
}

/** writes a batch, atomically; returns the rows it stored */
export type InsertActivities = (batch: readonly ActivityRow[]) => Promise<{ conversation_id: string; seq: number }[]>;

export class ActivityBatcher {
  private pending: PendingRow[] = [];
  private flushing = false;
  private idle: Promise<void> = Promise.resolve();
  private releaseIdle: (() => void) | undefined;

  constructor(private readonly insert: InsertActivities) {}

  append(conversationId: string, seq: number, json: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ conversationId, seq, json, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        this.idle = new Promise<void>((r) => (this.releaseIdle = r));
        setImmediate(() => void this.flush());
      }
    });
  }

  /** resolves when every append so far is settled */
  drain(): Promise<void> {
    return this.idle;
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const stored = new Set((await this.insert(batch)).map((r) => `${r.seq} ${r.conversation_id}`));
        for (const r of batch) {
          // the first of duplicates within the batch is the one stored
          if (stored.delete(`${r.seq} ${r.conversationId}`)) r.resolve();
          else r.reject(new DuplicateActivityError());
        }
      } catch (err) {
        for (const r of batch) r.reject(err as Error);
      }
    }
    this.flushing = false;
    this.releaseIdle?.();
  }
}
