// The dev server's builder under steady traffic: new raw objects keep arriving during every build,
// and the reports must still be rendered now and then, not only the models built.
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { closeWarehouseFiles, openWarehouse } from "../runner/warehouse.ts";
import { tempFolder } from "../test/temp-folders.ts";
import { writeDemo } from "./demo.ts";
import { type BuilderOptions, IncrementalBuilder } from "./dev-builder.ts";
import { packageModels } from "./raw-compaction.ts";
import { writeRawObject } from "./raw-object.ts";

describe("dev builder", () => {
  it("renders the reports between model builds while new objects keep arriving", async () => {
    const { builder, lines } = await demoBuilder({ settleMs: 0, minIntervalMs: 0, reportEveryMs: 0 });
    let modelBuilds = 0;
    builder.onBuilt(() => {
      modelBuilds++;
      // New objects landed while this build ran, as they do with an event every second.
      builder.notify();
    });
    builder.notify();
    const rendered = () => lines.some((line) => line.startsWith("reports "));
    while (!rendered() && modelBuilds < 5) await new Promise((r) => setTimeout(r, 100));
    await builder.stop();
    expect(lines.filter((line) => line.startsWith("build ")).every((l) => l.includes("ok"))).toBe(true);
    expect(rendered(), lines.join("\n")).toBe(true);
    // Each line's time says its zone, which is not the terminal's clock for most people.
    for (const line of lines) expect(line).toMatch(/^(build|reports) \d\d:\d\d:\d\d UTC\b/);
  }, 120_000);

  it("loads objects that land in hours older than the warehouse's lookback, as sync, replay or demo write them", async () => {
    const data = tempFolder("ownstats-builder-old-");
    // Up to the start of this hour, so the warehouse's watermark is recent.
    await writeDemo({ data, visitors: 40, days: 2, seed: 6 });
    const builder = new IncrementalBuilder({ data, models: packageModels, settleMs: 0, log: () => {} });
    expect((await builder.buildNow("start")).ok).toBe(true);

    const arrival = new Date(Date.now() - 10 * 3_600_000);
    const event = {
      event_id: "0193a000-0000-7000-8000-00000000abcd",
      event_type: "page_view",
      session_id: "an-old-session",
      event_ts: arrival.toISOString(),
      page_path: "/from-an-older-hour",
      ingest_ts: arrival.toISOString(),
      site: "example.com",
      is_bot: false,
      schema_version: 1,
    };
    const file = await writeRawObject(data, [JSON.stringify(event)], arrival);
    const built = new Promise<boolean>((resolve) => builder.onBuilt((outcome) => resolve(outcome.ok)));
    builder.notify([file]);
    expect(await built).toBe(true);
    await builder.stop();

    const warehouse = await openWarehouse(data);
    try {
      const rows = await warehouse.all(
        "select count(*)::int as n from stg_events where page_path = '/from-an-older-hour'",
      );
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      warehouse.close();
    }
  }, 120_000);

  it("leaves its intent to build in full on disk, so that a kill before that build cannot lose it", async () => {
    const { builder, data } = await demoBuilder({ settleMs: 60_000 });
    expect((await builder.buildNow("start")).ok).toBe(true);
    builder.removed();
    // Killed before the build it scheduled: a new server on the folder must still build in full.
    await builder.stop();
    expect(readFileSync(join(data, "needs-full-refresh"), "utf8")).toContain(
      "raw objects were removed while ownstats dev ran",
    );
    const lines: string[] = [];
    const next = new IncrementalBuilder({ data, models: packageModels, log: (l) => lines.push(l) });
    const outcome = await next.buildNow("start");
    await next.stop();
    expect(outcome.ok).toBe(true);
    const results = JSON.parse(readFileSync(join(data, "target", "run_results.json"), "utf8"));
    expect(results.args.full_refresh).toBe(true);
    expect(lines.join("\n")).toMatch(/\(start, full refresh\): models and tests ok/);
    expect(existsSync(join(data, "needs-full-refresh"))).toBe(false);
  }, 120_000);

  it("builds and renders in the time zone given with dev --vars, without an edit of the package's project.yml", async () => {
    const { builder, data } = await demoBuilder({ vars: { timezone: "Pacific/Auckland" } });
    expect((await builder.buildNow("start")).ok).toBe(true);
    await builder.stop();
    const warehouse = await openWarehouse(data);
    try {
      expect(await warehouse.all("select distinct timezone from daily")).toEqual([
        { timezone: "Pacific/Auckland" },
      ]);
    } finally {
      warehouse.close();
    }
    expect(readFileSync(join(data, "site", "index.html"), "utf8")).toContain("all times Pacific/Auckland");
  }, 120_000);

  it("says once that the builds apply a default selector of selectors.yml, which builds only part of the models", async () => {
    const models = packageModelsWithSelector(
      "daily_only",
      "{ method: fqn, value: daily, parents: true, indirect_selection: cautious }",
    );
    const { builder, lines } = await demoBuilder({ models });
    const first = await builder.buildNow("start");
    expect(first.ok, first.lines.join("\n")).toBe(true);
    expect((await builder.buildNow("again")).ok).toBe(true);
    await builder.stop();
    const said = lines.filter((line) => line.includes("default selector"));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      /^ {2}Using the default selector "daily_only" of [^ ]+\/selectors\.yml \(default: true\)/,
    );
  }, 120_000);

  it("builds, on a fresh data folder, the models a narrow default selector leaves out but reads, and says so", async () => {
    const models = packageModelsWithSelector("daily_alone", "daily");
    const { builder, lines, data } = await demoBuilder({ models });
    const first = await builder.buildNow("start");
    expect(first.ok, first.lines.join("\n")).toBe(true);
    expect(lines).toContain(
      '  Also building int_daily_sources, int_referrer_visitors, referrers, sessions, sources, stg_events: the default selector "daily_alone" leaves them out, but what it selects reads them and the warehouse does not have them yet',
    );
    // Once built, they are left to the selection again: the next build is daily's alone.
    const again = await builder.buildNow("again");
    expect(again.ok).toBe(true);
    expect(again.lines.filter((line) => / START sql \w+ model /.test(line))).toEqual([
      expect.stringContaining("START sql incremental model main.daily "),
    ]);
    await builder.stop();
    const warehouse = await openWarehouse(data);
    try {
      const [{ n }] = (await warehouse.all("select count(*)::int as n from daily")) as [{ n: number }];
      expect(n).toBeGreaterThan(0);
    } finally {
      warehouse.close();
    }
  }, 120_000);

  it.skipIf(!existsSync("/proc/self/stat"))(
    "says that a build process was killed, which prints nothing itself",
    async () => {
      const { builder, lines } = await demoBuilder();
      const building = builder.buildNow("start");
      // The build runs in a child process of this one; killed as the out-of-memory killer would.
      let child: number | undefined;
      while (child === undefined) {
        child = buildChildOf(process.pid);
        await new Promise((r) => setTimeout(r, 20));
      }
      process.kill(child, "SIGKILL");
      const outcome = await building;
      expect(outcome.ok).toBe(false);
      expect(lines).toContain("  failed: its process was ended by SIGKILL (out of memory?)");
      // The next build starts a new process.
      expect((await builder.buildNow("again")).ok).toBe(true);
      expect(buildChildOf(process.pid)).not.toBe(child);
      await builder.stop();
    },
    120_000,
  );

  it.skipIf(!existsSync("/proc/self/stat"))(
    "builds in one process that stays, and lets go of the warehouse between builds for a query from another",
    async () => {
      const { builder, data } = await demoBuilder();
      expect((await builder.buildNow("start")).ok).toBe(true);
      const worker = buildChildOf(process.pid);
      expect(worker).toBeDefined();
      // This process stands for `ownstats query` in another terminal: DuckDB lets one process open
      // the file, so it opens only if the build process has let go of it.
      const warehouse = await openWarehouse(data);
      const [{ n }] = (await warehouse.all("select count(*)::int as n from sessions")) as [{ n: number }];
      warehouse.close();
      await closeWarehouseFiles();
      expect(n).toBeGreaterThan(0);
      expect((await builder.buildNow("again")).ok).toBe(true);
      expect(buildChildOf(process.pid)).toBe(worker);
      await builder.stop();
      expect(buildChildOf(process.pid)).toBeUndefined();
    },
    120_000,
  );
});

/** A copy of the package's models whose selectors.yml has one selector, the default. */
function packageModelsWithSelector(name: string, definition: string): string {
  const models = tempFolder("ownstats-builder-models-");
  cpSync(packageModels, models, { recursive: true });
  writeFileSync(
    join(models, "selectors.yml"),
    `selectors:\n  - name: ${name}\n    default: true\n    definition: ${definition}\n`,
  );
  return models;
}

/** A builder over a small demo data folder, with its log lines. */
async function demoBuilder(options: Partial<BuilderOptions> = {}) {
  const data = tempFolder("ownstats-builder-");
  await writeDemo({ data, visitors: 40, days: 2, seed: 5, now: "2026-03-02T10:00:00Z" });
  const lines: string[] = [];
  const builder = new IncrementalBuilder({
    data,
    models: packageModels,
    log: (line) => lines.push(line),
    ...options,
  });
  return { builder, lines, data };
}

/** The pid of the dev build worker whose parent is `parent`. */
function buildChildOf(parent: number): number | undefined {
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      const ppid = Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ")[1]);
      if (ppid === parent && cmdline.includes("build-worker-process.ts")) return Number(pid);
    } catch {}
  }
  return undefined;
}
