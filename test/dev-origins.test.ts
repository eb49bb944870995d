// ALLOWED_ORIGINS set in the shell (for `ownstats collect` or a deployment) while `ownstats dev`
// runs: the listed sites are still the only others taken, but the demo site it serves is counted.
import { afterAll, beforeAll, expect, it } from "vitest";
import { postPageView } from "../local/collect-test-kit.ts";
import { type DevProcess, startDev } from "./dev-server.ts";

let dev: DevProcess;
beforeAll(async () => {
  const before = process.env.ALLOWED_ORIGINS;
  process.env.ALLOWED_ORIGINS = "https://example.com";
  try {
    dev = await startDev(["--no-demo"]);
  } finally {
    if (before === undefined) delete process.env.ALLOWED_ORIGINS;
    else process.env.ALLOWED_ORIGINS = before;
  }
});
afterAll(() => dev?.stop());

const post = (origin: string) => postPageView(dev.url, origin);

it("takes events from its own demo site and the listed origins, and says which it takes", async () => {
  const port = new URL(dev.url).port;
  expect(await post(dev.url)).toBe(202);
  expect(await post(`http://localhost:${port}`)).toBe(202);
  expect(await post("https://example.com")).toBe(202);
  expect(await post("https://elsewhere.example")).toBe(403);
  expect(dev.output()).toContain("origins     https://example.com and this server's own pages");
}, 60_000);
