import { describe, expect, it } from "vitest";
import { backoffDelay, putWithRetries, SinkUnavailableError } from "./sink.ts";

describe("backoffDelay", () => {
  it("waits a random time up to base·2ⁿ, capped at maxDelayMs", () => {
    for (const attempt of [1, 3, 10]) {
      const bound = Math.min(2_000, 50 * 2 ** attempt);
      const waits = Array.from({ length: 200 }, () => backoffDelay(attempt, {}));
      for (const wait of waits) {
        expect(wait).toBeGreaterThanOrEqual(0);
        expect(wait).toBeLessThan(bound);
      }
      // Full jitter: spread over the range, not one fixed wait.
      expect(Math.max(...waits) - Math.min(...waits)).toBeGreaterThan(bound / 2);
    }
  });
});

describe("putWithRetries", () => {
  it("sends again only what failed, until nothing is left", async () => {
    const calls: number[][] = [];
    await putWithRetries(
      [1, 2, 3, 4],
      async (items) => {
        calls.push(items);
        return items.filter((i) => i % 2 === 0 && calls.length < 3);
      },
      "test stream",
      { baseDelayMs: 1 },
    );
    expect(calls).toEqual([
      [1, 2, 3, 4],
      [2, 4],
      [2, 4],
    ]);
  });

  it("stops retrying once the next wait would pass the deadline", async () => {
    let calls = 0;
    const put = putWithRetries(
      [1],
      async (items) => {
        calls++;
        return items;
      },
      "test stream",
      { attempts: 1_000, baseDelayMs: 20, maxDelayMs: 50, deadlineMs: 150 },
    );
    await expect(put).rejects.toBeInstanceOf(SinkUnavailableError);
    await expect(put).rejects.toThrow(/^test stream: 1 of 1 records not accepted after \d+ attempts$/);
    expect(calls).toBeGreaterThan(1);
    expect(calls).toBeLessThan(1_000);
  });

  it("names the sink's last refusal when the deadline ends the retries, not a missing answer", async () => {
    const put = putWithRetries(
      [1],
      async (_items, signal) => {
        // Answers with a refusal, after the deadline has aborted the signal.
        await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
        throw Object.assign(new Error("Rate exceeded for shard"), {
          name: "ProvisionedThroughputExceededException",
        });
      },
      "test stream",
      { attempts: 3, baseDelayMs: 1, deadlineMs: 50 },
    );
    await expect(put).rejects.toThrow(
      /^test stream: 1 of 1 records not accepted after 1 attempts: Rate exceeded for shard$/,
    );
  });

  it("says no answer came when the deadline aborted the request", async () => {
    const put = putWithRetries(
      [1],
      async (_items, signal) => {
        await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
        throw signal.reason;
      },
      "test stream",
      { attempts: 3, baseDelayMs: 1, deadlineMs: 50 },
    );
    await expect(put).rejects.toThrow(/not accepted after 1 attempts: no answer within 50 ms$/);
  });
});
