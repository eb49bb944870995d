// A broken object in raw/ makes the dev server's build fail; deleting it, as the failure page asks,
// brings the reports back without waiting for a new event or a restart. Deleting objects that were
// built takes their events out of the models too.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { pageView, waitFor } from "./collect-helpers.ts";
import { queryRows, startDev, tempData } from "./dev-server.ts";

async function reportsPage(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}/reports/`);
  return { status: response.status, text: await response.text() };
}

it("builds again once a broken object is deleted from raw/", async () => {
  const data = tempData();
  const hour = join(data, "raw", "year=2026", "month=03", "day=01", "hour=10");
  mkdirSync(hour, { recursive: true });
  writeFileSync(join(hour, "broken.gz"), "this is not gzip");
  const dev = await startDev(["--no-demo"], data);
  try {
    const failed = await waitFor(
      "the failed build on /reports/",
      async () => {
        const page = await reportsPage(dev.url);
        return page.text.includes("The last build failed") ? page : undefined;
      },
      60_000,
    );
    expect(failed.status).toBe(503);

    rmSync(join(hour, "broken.gz"));
    const page = await waitFor(
      "the reports after the broken object was deleted",
      async () => {
        const page = await reportsPage(dev.url);
        return page.status === 200 ? page : undefined;
      },
      60_000,
    );
    expect(page.text).not.toContain("The last build failed");
    // The terminal says why this build ran: no object was added.
    expect(dev.output()).toMatch(
      /^build \d\d:\d\d:\d\d UTC \(raw objects removed, full refresh\): models and tests ok/m,
    );
  } finally {
    await dev.stop();
  }
}, 180_000);

it("takes the events of raw objects deleted while it runs out of the models", async () => {
  const data = tempData();
  const dev = await startDev(["--no-demo"], data);
  const count = async () =>
    (
      await queryRows(data, "select count(*)::int as n from stg_events where session_id = 's_deleted_later'")
    )?.[0]?.n;
  try {
    const sent = await fetch(`${dev.url}/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(pageView({ session_id: "s_deleted_later" })),
    });
    expect(sent.status).toBe(202);
    await waitFor("the event in the models", async () => ((await count()) === 1 ? true : undefined), 60_000);

    const raw = join(data, "raw");
    for (const name of readdirSync(raw, { recursive: true, encoding: "utf8" }))
      if (name.endsWith(".gz")) rmSync(join(raw, name));
    // Seen within a moment in the current hour's folder, the deletion can join the build that an
    // object landing during the start build still waits for: "(new raw objects, raw objects removed, …)".
    await waitFor(
      "the build after the objects were deleted",
      async () =>
        /[(, ]raw objects removed[^)]*\): models and tests ok/.test(dev.output()) ? true : undefined,
      60_000,
    );
    expect(await waitFor("the count", count, 30_000)).toBe(0);
  } finally {
    await dev.stop();
  }
}, 180_000);
