// The reports rendered from `ownstats demo` data, opened in Chromium: every page without a console
// error and with a screenshot that is not blank, in light and dark; on a phone's width; the lineage's
// boxes and the legends' labels clear of each other; a skip link for the keyboard.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { buildSite } from "../reports/index.ts";
import { sampleDataFolder } from "../reports/sample-warehouse.ts";
import { chromiumOrWarn, launchChromium } from "./chromium.ts";
import { builtDemoSite, reportPageFiles as pageFiles, withServedSite } from "./reports-kit.ts";

const { site } = builtDemoSite();

const executable = chromiumOrWarn("reports in Chromium");
const served = (use: Parameters<typeof withServedSite>[2]) => withServedSite(site, executable as string, use);

/** Runs `use` on a fresh Chromium page of desktop size, for pages opened from disk, and closes it after. */
async function withPageOnDisk(use: (page: import("playwright-core").Page) => Promise<void>): Promise<void> {
  const browser = await launchChromium(executable as string);
  try {
    await use(await browser.newPage({ viewport: { width: 1100, height: 900 } }));
  } finally {
    await browser.close();
  }
}

describe.runIf(executable)("reports in Chromium", () => {
  const artifacts = join("test-results", "reports");

  it("opens every page with no console error and a screenshot that is not blank", async () => {
    mkdirSync(artifacts, { recursive: true });
    await served(async (browser, server) => {
      for (const scheme of ["light", "dark"] as const) {
        const context = await browser.newContext({
          colorScheme: scheme,
          viewport: { width: 1100, height: 900 },
        });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("console", (m) => m.type() === "error" && errors.push(`${m.text()} (${page.url()})`));
        page.on("pageerror", (e) => errors.push(`${e.message} (${page.url()})`));
        for (const file of pageFiles) {
          await page.goto(`${server.url}/${file}`, { waitUntil: "load" });
          const png = await page.screenshot({
            fullPage: true,
            path: join(artifacts, `${scheme}-${file}.png`),
          });
          expect(await distinctColours(page, png), `${scheme} ${file} screenshot`).toBeGreaterThan(8);
        }
        expect(errors).toEqual([]);
        await context.close();
      }
    });
  });

  it("fits a phone's width, and draws chart text in the page's colour in dark mode", async () => {
    await served(async (browser, server) => {
      const context = await browser.newContext({
        colorScheme: "dark",
        viewport: { width: 390, height: 844 },
        isMobile: true,
      });
      const page = await context.newPage();
      for (const file of pageFiles) {
        await page.goto(`${server.url}/${file}`);
        // Wide tables and charts scroll inside their own boxes; the page itself never scrolls sideways.
        // Measured against the phone's layout width: a mobile browser widens innerWidth to fit wide content.
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `${file} is wider than the phone`).toBeLessThanOrEqual(0);
        // A wide table scrolls, but its caption wraps within the screen instead of being cut at its edge.
        const cutCaptions = await page.evaluate(() =>
          Array.from(document.querySelectorAll(".table-wrap caption"), (caption) => {
            const text = document.createRange();
            text.selectNodeContents(caption);
            const right = Math.max(...Array.from(text.getClientRects(), (line) => line.right));
            const edge = caption.closest(".table-wrap")?.getBoundingClientRect().right ?? window.innerWidth;
            return right > edge + 1 ? caption.textContent : "";
          }).filter(Boolean),
        );
        expect(cutCaptions, `${file}: captions cut at the phone's edge`).toEqual([]);
        // Charts shrink to fit a phone down to a floor: below 9 px their figures no longer read.
        const tiny = await page.evaluate(() =>
          Array.from(document.querySelectorAll("svg.chart text"), (text) => {
            const svg = text.closest("svg");
            const scale = (svg?.getBoundingClientRect().width ?? 0) / Number(svg?.getAttribute("width"));
            return Number(text.getAttribute("font-size")) * scale < 9 ? text.textContent : "";
          }).filter(Boolean),
        );
        expect(tiny, `${file}: chart text under 9 px`).toEqual([]);
      }
      // Bar charts fit the phone whole: scrolled, the longest bars would run off its edge alike, and the
      // last of the time milestones (5 min) or of the channels credited would be out of sight.
      for (const file of ["funnel.html", "experiments.html", "pages.html", "sources.html"]) {
        await page.goto(`${server.url}/${file}`);
        const cut = await page.evaluate(() =>
          Array.from(document.querySelectorAll("figure.chart"), (figure) =>
            figure.scrollWidth > figure.clientWidth
              ? figure.querySelector("svg")?.getAttribute("aria-label")
              : "",
          ).filter(Boolean),
        );
        // The demo's 42 days of channels scroll, as the time charts do.
        const scrolls = file === "sources.html" ? ["Sessions per day by channel"] : [];
        expect(cut, `${file}: charts cut at the phone's edge`).toEqual(scrolls);
      }
      // The lineage is wider than the other charts: on a phone its names keep their drawn size.
      await page.goto(`${server.url}/models.html`);
      const smallest = await page.evaluate(() => {
        const svg = document.querySelector("svg.chart");
        const scale = (svg?.getBoundingClientRect().width ?? 0) / Number(svg?.getAttribute("width"));
        return Math.min(
          ...Array.from(
            svg?.querySelectorAll("text") ?? [],
            (t) => Number(t.getAttribute("font-size")) * scale,
          ),
        );
      });
      expect(smallest, "the lineage's smallest text, in px").toBeGreaterThanOrEqual(11);
      // A date or an hour reads on one line, not broken at its hyphens into "2026- / 11-04 / 14:00 / UTC".
      for (const file of ["anomalies.html", "cohorts.html"]) {
        await page.goto(`${server.url}/${file}`);
        const broken = await page.evaluate(() =>
          Array.from(document.querySelectorAll("tbody tr td:first-child"), (cell) => {
            const text = document.createRange();
            text.selectNodeContents(cell);
            return new Set(Array.from(text.getClientRects(), (line) => Math.round(line.top))).size > 1
              ? cell.textContent
              : "";
          }).filter(Boolean),
        );
        expect(broken, `${file}: dates broken across lines`).toEqual([]);
      }
      await page.goto(`${server.url}/index.html`);
      await page.screenshot({ path: join(artifacts, "phone-dark-index.html.png"), fullPage: true });
      // Charts keep a readable size (12 px labels drawn at no less than 70 %) and scroll in their box.
      const chartWidth = await page.evaluate(
        () => document.querySelector("svg.chart")?.getBoundingClientRect().width ?? 0,
      );
      expect(chartWidth).toBeGreaterThanOrEqual(0.7 * 720);
      const colours = await page.evaluate(() => {
        const text = document.querySelector("svg.chart text");
        return { text: text ? getComputedStyle(text).fill : "", body: getComputedStyle(document.body).color };
      });
      expect(colours.text).toBe(colours.body);
      expect(colours.body).not.toBe("rgb(0, 0, 0)");
    });
  });

  it("fits a phone's width with a long experiment name, whose heading and caption wrap", async () => {
    // Names come from the site's own events: words joined by underscores have nowhere to wrap.
    const data = await sampleDataFolder(
      "UPDATE experiments SET experiment = 'checkout_redesign_free_shipping_banner_2026' WHERE experiment = 'cta_copy'",
    );
    try {
      await buildSite({ data, days: 28 });
      const browser = await launchChromium(executable as string);
      try {
        const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
        const page = await context.newPage();
        await page.goto(pathToFileURL(join(data, "site", "experiments.html")).href);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, "experiments.html is wider than the phone").toBeLessThanOrEqual(0);
        const captionWidest = await page.evaluate(() =>
          Math.max(...Array.from(document.querySelectorAll(".table-wrap caption"), (c) => c.scrollWidth)),
        );
        expect(captionWidest).toBeLessThanOrEqual(390);
      } finally {
        await browser.close();
      }
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it("keeps the figures beside a path of hundreds of characters in view, and leaves shorter paths whole", async () => {
    // A visitor can send any path: one segment of 300 characters has nowhere to wrap.
    const long = `/blog/${"a".repeat(300)}`;
    const data = await sampleDataFolder(
      `UPDATE int_daily_pages SET page_path = '${long}' WHERE page_path = '/pricing'`,
    );
    try {
      await buildSite({ data, days: 28 });
      const browser = await launchChromium(executable as string);
      try {
        for (const width of [1100, 390]) {
          const page = await browser.newPage({ viewport: { width, height: 900 } });
          await page.goto(pathToFileURL(join(data, "site", "index.html")).href);
          const topPages = await page.evaluate((path) => {
            const cell = [...document.querySelectorAll("td")].find((td) => td.textContent === path);
            const wrap = cell?.closest(".table-wrap");
            const short = [...(wrap?.querySelectorAll("td:first-child") ?? [])].find(
              (td) => td.textContent === "/",
            );
            return {
              scrolls: wrap ? wrap.scrollWidth - wrap.clientWidth : -1,
              shortLines: short ? Math.round(short.getBoundingClientRect().height) : -1,
              cellLines: cell ? Math.round(cell.getBoundingClientRect().height) : -1,
            };
          }, long);
          expect(topPages.scrolls, `the top pages table at ${width} px`).toBe(0);
          // The long path wraps onto more lines than a short one takes.
          expect(topPages.cellLines).toBeGreaterThan(topPages.shortLines);
          await page.close();
        }
      } finally {
        await browser.close();
      }
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it("draws the lineage with no box over another and every model's name inside its box", async () => {
    await withPageOnDisk(async (page) => {
      await page.goto(pathToFileURL(join(site, "models.html")).href);
      const drawn = await page.evaluate(() => {
        const svg = document.querySelector("svg.chart");
        const box = (e: Element) => {
          const r = e.getBoundingClientRect();
          return { text: e.textContent ?? "", left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        };
        return {
          boxes: [...(svg?.querySelectorAll("path:not([fill='none'])") ?? [])].map(box),
          names: [...(svg?.querySelectorAll("text") ?? [])].map(box),
        };
      });
      type Box = (typeof drawn.boxes)[number];
      const overlap = (a: Box, b: Box) =>
        a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
      const inside = (t: Box, b: Box) =>
        t.left >= b.left - 1 && t.right <= b.right + 1 && t.top >= b.top - 1 && t.bottom <= b.bottom + 1;
      expect(drawn.boxes.length).toBeGreaterThan(10);
      const overlapping = drawn.boxes.flatMap((a, i) =>
        drawn.boxes.slice(i + 1).filter((b) => overlap(a, b)),
      );
      expect(overlapping).toEqual([]);
      const outside = drawn.names.filter((name) => !drawn.boxes.some((b) => inside(name, b)));
      expect(outside.map((name) => name.text)).toEqual([]);
    });
  });

  it("keeps each chart legend's labels clear of the next entry's mark, in the browser's own font", async () => {
    await withPageOnDisk(async (page) => {
      const clashes: string[] = [];
      let legends = 0;
      for (const file of pageFiles.filter((f) => f !== "models.html" && f !== "sql.html")) {
        await page.goto(pathToFileURL(join(site, file)).href);
        const charts = await page.evaluate(() =>
          [...document.querySelectorAll("svg.chart")].map((svg) => {
            const top = svg.getBoundingClientRect().top;
            // The legend is the band above the plot; ECharts' invisible hit areas are left out.
            const marks = [...svg.querySelectorAll("text, path")]
              .filter((e) => e.getAttribute("fill") !== "none" && e.getAttribute("fill-opacity") !== "0")
              .map((e) => {
                const r = e.getBoundingClientRect();
                return { text: e.tagName === "text" ? (e.textContent ?? "") : null, ...r.toJSON() };
              })
              .filter((m) => m.bottom - top <= 32 && m.width > 0);
            return { title: svg.getAttribute("aria-label") ?? "", marks };
          }),
        );
        for (const { title, marks } of charts) {
          const labels = marks.filter((m) => m.text !== null);
          if (labels.length > 1) legends++;
          for (const label of labels)
            for (const other of marks.filter((m) => m !== label))
              if (label.left < other.right - 0.5 && other.left < label.right - 0.5)
                clashes.push(`${file} "${title}": "${label.text}" runs into ${other.text ?? "a mark"}`);
        }
      }
      expect(legends).toBeGreaterThanOrEqual(5);
      expect(clashes).toEqual([]);
    });
  });

  it("offers a keyboard user a visible skip link past the nav on every page", async () => {
    await withPageOnDisk(async (page) => {
      for (const file of pageFiles) {
        await page.goto(pathToFileURL(join(site, file)).href);
        await page.keyboard.press("Tab");
        const first = await page.evaluate(() => {
          const focused = document.activeElement as HTMLElement;
          const box = focused.getBoundingClientRect();
          return {
            text: focused.textContent,
            visible: box.top >= 0 && box.left >= 0 && box.width > 0 && box.bottom <= window.innerHeight,
          };
        });
        expect(first, file).toEqual({ text: "Skip to the report", visible: true });
        await page.keyboard.press("Enter");
        await page.keyboard.press("Tab");
        // The next Tab goes on from the report, not through the nav's links.
        const next = await page.evaluate(() => ({
          inNav: Boolean(document.activeElement?.closest("header")),
          id: document.activeElement?.id,
        }));
        expect(next.inNav, file).toBe(false);
        if (file === "sql.html") expect(next.id).toBe("sql-example");
      }
    });
  });
});

/** Decodes the screenshot in the browser and counts its colours: a blank page has one or two. */
async function distinctColours(page: import("playwright-core").Page, png: Buffer): Promise<number> {
  return page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext("2d");
    if (!context) return 0;
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set<number>();
    for (let i = 0; i < pixels.length && colours.size < 1000; i += 4 * 7) {
      colours.add(((pixels[i] ?? 0) << 16) | ((pixels[i + 1] ?? 0) << 8) | (pixels[i + 2] ?? 0));
    }
    return colours.size;
  }, png.toString("base64"));
}
