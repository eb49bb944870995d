// Where accepted events go. The collector answers 202 only once `put` has resolved; a rejected
// `put` becomes a 503 and the client sends the batch again (event_id removes duplicates later).
import type { StoredEvent } from "./event.ts";

export interface Sink {
  /** Resolves once every event is durably held by the sink; rejects if any of them is not. */
  put(events: StoredEvent[]): Promise<void>;
  close?(): Promise<void>;
}

/** Thrown when a sink gave up after its retries; the collector turns it into a 503. */
export class SinkUnavailableError extends Error {
  override name = "SinkUnavailableError";
}

export interface RetryOptions {
  /** @default 6 */
  attempts?: number;
  /** @default 50 */
  baseDelayMs?: number;
  /** @default 2000 */
  maxDelayMs?: number;
  /**
   * How long one put may take with its retries before it gives up and the collector answers 503:
   * under the collector Lambda's 10 s timeout, so a client gets the 503 and not a gateway error.
   * A request still running then is aborted. @default 8000
   */
  deadlineMs?: number;
}

/** Full-jitter exponential backoff (AWS Architecture Blog): a random wait up to base·2ⁿ, capped. */
export function backoffDelay(
  attempt: number,
  { baseDelayMs = 50, maxDelayMs = 2_000 }: RetryOptions,
): number {
  return Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends `items` with `send`, which returns the items that failed (a partial failure), and sends
 * those again after a jittered backoff until none is left, the attempts are spent or the deadline
 * has passed (`send` gets a signal that aborts then).
 */
export async function putWithRetries<T>(
  items: T[],
  send: (items: T[], signal: AbortSignal) => Promise<T[]>,
  what: string,
  options: RetryOptions = {},
): Promise<void> {
  const attempts = options.attempts ?? 6;
  const deadlineMs = options.deadlineMs ?? 8_000;
  const started = Date.now();
  const signal = AbortSignal.timeout(deadlineMs);
  let pending = items;
  let lastError: unknown;
  let made = 0;
  while (made < attempts && pending.length > 0) {
    if (made > 0) {
      const wait = backoffDelay(made, options);
      if (Date.now() - started + wait >= deadlineMs) break;
      await sleep(wait);
    }
    made++;
    try {
      pending = await send(pending, signal);
      lastError = undefined;
    } catch (error) {
      lastError = error;
      if (signal.aborted) break;
    }
  }
  if (pending.length > 0) {
    // The sink's own refusal (a throttling error, say) tells more than the deadline that ended the
    // retries; "no answer" only when the deadline cut a request short.
    const answered =
      lastError instanceof Error && lastError.name !== "AbortError" && lastError.name !== "TimeoutError";
    const reason = answered
      ? `: ${(lastError as Error).message}`
      : signal.aborted
        ? `: no answer within ${deadlineMs} ms`
        : "";
    throw new SinkUnavailableError(
      `${what}: ${pending.length} of ${items.length} records not accepted after ${made} attempts${reason}`,
    );
  }
}

/** Splits `items` into chunks of at most `maxCount` items and `maxBytes` bytes. */
export function chunk<T>(items: T[], size: (item: T) => number, maxCount: number, maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const itemBytes = size(item);
    if (current.length > 0 && (current.length >= maxCount || bytes + itemBytes > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += itemBytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
