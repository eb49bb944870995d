// The events of one planned session, as stored NDJSON lines. Lines are built as strings directly
// (no object + JSON.stringify per event): the demo has to write a million events a minute.
import { CTA_ELEMENT, ctaPlacements, FORM_ELEMENT } from "./demo-ctas.ts";
import type { Random } from "./demo-random.ts";
import type { PlannedSession } from "./demo-visitors.ts";
import {
  botDevice,
  DEMO_SITE,
  experiment,
  nextPage,
  type Page,
  type PageKey,
  pages,
  SCROLL_MILESTONES,
  SITE_ORIGIN,
  TIME_MILESTONES,
} from "./demo-world.ts";

/** Receives each event line with its arrival time (ms), which decides its hour partition. */
export type EmitEvent = (arrival: number, line: string) => void;

const MAX_PAGES = 12;
/** Shares of sessions that only glance at their landing page; returning visitors come with intent. */
const FIRST_GLANCE = 0.45;
const RETURNING_GLANCE = 0.2;
/** How much likelier a returning visitor is to click a call to action. */
const RETURNING_INTENT = 1.4;
const q = JSON.stringify;

export function writeSession(random: Random, session: PlannedSession, emit: EmitEvent): void {
  const { visitor } = session;
  const device = visitor.isBot ? { ...visitor.device, ...botDevice } : visitor.device;
  // As the tracker sends them: the ids and the time zone with every event, the rest with page views.
  const ids =
    `,"session_id":${q(random.uuid(session.start))},"visitor_id":${q(visitor.id)}` +
    `,"timezone":${q(visitor.place.timezone)}`;
  const context =
    `,"screen_width":${device.screen[0]},"screen_height":${device.screen[1]},"viewport_width":${device.viewport}` +
    `,"language":${q(visitor.place.language)}`;
  const server =
    `,"site":${q(DEMO_SITE)},"browser":${q(device.browser)},"browser_version":${device.version}` +
    `,"os":${q(device.os)},"device_type":${q(device.type)},"is_bot":${visitor.isBot}` +
    `,"country":${q(visitor.place.country)},"schema_version":1}`;

  // The tracker batches for up to three seconds before posting; arrival follows by that much.
  const event = (type: string, at: number, path: string, fields = ""): void => {
    const arrival = at + 150 + Math.floor(random.next() * 3200);
    emit(
      arrival,
      `{"event_id":"${random.uuid(at)}","event_type":"${type}"${ids},"event_ts":"${iso(at)}","page_path":"${path}"` +
        `${fields},"ingest_ts":"${iso(arrival)}"${server}`,
    );
  };

  if (visitor.isBot) return crawl(random, session.start, event, context);

  const { arrival } = session;
  const campaign = arrival.utm
    ? `,"utm_source":${q(arrival.utm.source)},"utm_medium":${q(arrival.utm.medium)}` +
      `,"utm_campaign":${q(arrival.utm.campaign)}` +
      (arrival.utm.term ? `,"utm_term":${q(arrival.utm.term)}` : "") +
      (arrival.utm.content ? `,"utm_content":${q(arrival.utm.content)}` : "")
    : "";

  let t = session.start;
  let key: PageKey = arrival.landing.draw(random);
  let previous: Page | undefined;
  let exposed = false;
  const returning = session.visit > 0;
  for (let count = 0; count < MAX_PAGES; count++) {
    const page: Page = pages[key];
    const referrer = previous ? SITE_ORIGIN + previous.path : arrival.referrer;
    event(
      "page_view",
      t,
      page.path,
      `,"page_title":${q(page.title)}` +
        (referrer ? `,"referrer":${q(referrer)}` : "") +
        (previous ? "" : campaign) +
        context,
    );
    // Many visitors look at the page they land on for a few seconds and leave: the bounces.
    const glance = count === 0 && random.chance(returning ? RETURNING_GLANCE : FIRST_GLANCE);
    const dwell = glance
      ? Math.min(25, Math.max(2, random.logNormal(8, 1.8))) * 1000
      : Math.min(900, Math.max(2, random.logNormal(page.dwell, 2.2))) * 1000;
    const reach = Math.min(1, page.reach * random.logNormal(glance ? 0.4 : 1, 1.7));
    for (const pct of SCROLL_MILESTONES) {
      if (pct / 100 > reach) break;
      event("scroll_depth", t + dwell * (pct / 100) * 0.8, page.path, `,"scroll_pct":${pct}`);
    }
    for (const seconds of TIME_MILESTONES) {
      if (seconds * 1000 > dwell) break;
      event("time_on_page", t + seconds * 1000, page.path, `,"seconds":${seconds}`);
    }

    // Exposed on the page's load, once per session, as the tracker's ownstats.variant() does.
    if (key === "pricing" && !exposed) {
      exposed = true;
      const variant = `,"experiment":"${experiment.name}","variant":"${visitor.variant.name}"`;
      event("experiment_exposure", t + 300, page.path, variant);
    }
    let next: PageKey | "exit" = glance ? "exit" : nextPage[key].draw(random);
    if (glance) {
      // Gone before doing anything on the page.
    } else if (key === "pricing") {
      const clickRate = visitor.variant.ctaRate * (returning ? RETURNING_INTENT : 1);
      if (random.chance(clickRate)) {
        const clickAt = t + dwell * 0.5;
        event("cta_click", clickAt, page.path, `,"element":"${CTA_ELEMENT}"`);
        if (random.chance(0.75)) {
          event("form_start", clickAt + 4000, page.path, `,"element":"${FORM_ELEMENT}"`);
          if (random.chance(0.62))
            event(
              "form_submit",
              clickAt + 25_000 + random.next() * 60_000,
              page.path,
              `,"element":"${FORM_ELEMENT}"`,
            );
        }
      } else if (random.chance(0.05)) {
        // Two in three toggle to yearly; taken from the clock, not the random stream, so that the
        // rest of a seeded demo stays as it was.
        const billing = Math.floor(t / 1000) % 3 ? "yearly" : "monthly";
        event("custom", t + dwell * 0.3, page.path, `,"name":"plan_toggle","props":{"billing":"${billing}"}`);
      }
    } else {
      for (const cta of ctaPlacements[key]) {
        if (!random.chance(cta.rate * (returning ? RETURNING_INTENT : 1))) continue;
        event("cta_click", t + dwell * (0.2 + 0.7 * random.next()), page.path, `,"element":"${cta.element}"`);
        if (cta.leadsTo) next = cta.leadsTo;
      }
      if (key === "docs" && random.chance(0.3)) {
        event(
          "custom",
          t + dwell * 0.4,
          page.path,
          `,"name":"copy_snippet","props":{"snippet":"script_tag"}`,
        );
      } else if (key === "article" && random.chance(0.03)) {
        event(
          "custom",
          t + dwell * 0.9,
          page.path,
          `,"name":"newsletter_signup","props":{"placement":"footer"}`,
        );
      }
    }

    t += dwell;
    if (next === "exit") {
      if (device.type === "desktop" && random.chance(0.3)) event("exit_intent", t - 500, page.path);
      return;
    }
    previous = page;
    key = next;
    t += 800 + random.next() * 2500;
  }
}

const crawlPaths = Object.values(pages);

/** A crawler runs a headless browser through many pages in quick succession and never scrolls. */
function crawl(
  random: Random,
  start: number,
  event: (type: string, at: number, path: string, fields?: string) => void,
  context: string,
): void {
  let t = start;
  const count = random.int(4, 14);
  for (let i = 0; i < count; i++) {
    const page = random.pick(crawlPaths);
    event("page_view", t, page.path, `,"page_title":${q(page.title)}${context}`);
    t += 400 + random.next() * 1500;
  }
}

/** `Date#toISOString` is the one allocation per timestamp this hot path cannot avoid cheaply. */
function iso(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}
