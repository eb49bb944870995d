import { describe, expect, it } from "vitest";
import { runInOrder } from "./in-order-pool.ts";

/** A promise with its resolve and reject at hand. */
function pending<T>() {
  let resolve = (_: T) => {};
  let reject = (_: unknown) => {};
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe("runInOrder", () => {
  it("starts the next item as soon as any finishes, and hands chunks on in list order once all before them are done", async () => {
    const gates = [0, 1, 2, 3, 4].map(() => pending<number>());
    const started: number[] = [];
    const handed: number[][] = [];
    const running = runInOrder(
      [0, 1, 2, 3, 4],
      2,
      (item) => {
        started.push(item);
        return (gates[item] as ReturnType<typeof pending<number>>).promise;
      },
      async (chunk) => void handed.push(chunk.map(({ result }) => result)),
    );
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    gates[1]?.resolve(10);
    await settle();
    expect(started).toEqual([0, 1, 2]);
    gates[2]?.resolve(20);
    gates[3]?.resolve(30);
    await settle();
    // Item 0 is still running: nothing is handed on, however much after it is done.
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(handed).toEqual([]);
    gates[0]?.resolve(0);
    gates[4]?.resolve(40);
    await running;
    expect(handed).toEqual([[0, 10], [20, 30], [40]]);
  });

  it("starts nothing after a failure, waits for the items in flight, then throws the failure", async () => {
    const slow = pending<string>();
    const started: string[] = [];
    let slowDone = false;
    const running = runInOrder(
      ["slow", "bad", "later"],
      2,
      (item) => {
        started.push(item);
        if (item === "bad") return Promise.reject(new Error("bad item"));
        return slow.promise.then((value) => {
          slowDone = true;
          return value;
        });
      },
      async () => {},
    );
    const outcome = running.catch((error: Error) => ({ error: error.message, slowDone }));
    await new Promise((resolve) => setImmediate(resolve));
    slow.resolve("ok");
    expect(await outcome).toEqual({ error: "bad item", slowDone: true });
    expect(started).toEqual(["slow", "bad"]);
  });

  it("stops on a failure to hand a chunk on, after the items in flight have finished", async () => {
    const second = pending<number>();
    const slow = pending<number>();
    let slowDone = false;
    const started: number[] = [];
    const running = runInOrder(
      [0, 1, 2, 3],
      2,
      (item) => {
        started.push(item);
        if (item === 1) return second.promise;
        if (item !== 2) return Promise.resolve(item);
        return slow.promise.then((value) => {
          slowDone = true;
          return value;
        });
      },
      async (chunk) => {
        if (chunk[0]?.item === 0) throw new Error("state not written");
      },
    );
    const outcome = running.catch((error: Error) => ({ error: error.message, slowDone }));
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    await turn();
    expect(started).toEqual([0, 1, 2]);
    // The first chunk is complete and cannot be handed on while item 2 is still running.
    second.resolve(1);
    await turn();
    slow.resolve(2);
    expect(await outcome).toEqual({ error: "state not written", slowDone: true });
    expect(started).toEqual([0, 1, 2]);
  });
});
