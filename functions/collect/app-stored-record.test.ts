// What the app stores for an accepted event: the server's fields added, strings, ids and times
// normalized, and nothing a visitor could be found by (IP, user agent, cookie, email addresses).
import { describe, expect, it } from "vitest";
import { createApp } from "./app.ts";
import { event, now, post, spoolPerTest } from "./app-test-kit.ts";

const collector = spoolPerTest();

describe("the stored record", () => {
  it("accepts one event, enriches it and hands it to the sink before answering 202", async () => {
    const app = createApp({ sink: collector.spool, now });
    const one = event({ referrer: "https://www.google.com/search?q=me" });
    const res = await post(app, one);
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ accepted: 1, rejected: [] });
    expect(await collector.stored()).toEqual([
      {
        event_type: "page_view",
        event_id: one.event_id,
        session_id: "session_0001",
        event_ts: "2026-03-01T08:00:00.000Z",
        page_path: "/pricing",
        referrer: "https://www.google.com/search",
        timezone: "Europe/Paris",
        ingest_ts: "2026-03-01T08:00:05.000Z",
        site: "example.com",
        browser: "Chrome",
        browser_version: 124,
        os: "Windows",
        device_type: "desktop",
        is_bot: false,
        country: "FR",
        schema_version: 1,
      },
    ]);
  });
  it("takes an empty referrer, document.referrer's value for a visit no page sent, for none", async () => {
    const app = createApp({ sink: collector.spool, now });
    const res = await post(app, event({ referrer: "" }));
    expect(res.json).toEqual({ accepted: 1, rejected: [] });
    const [record] = await collector.stored();
    expect(record?.page_path).toBe("/pricing");
    expect(record).not.toHaveProperty("referrer");
  });
  it("stores a screen or viewport wider than 20,000 pixels, a page zoomed far out, as 20,000", async () => {
    // At 25 % zoom a 5K screen (5120 × 2880) is 20,480 × 11,520 CSS pixels.
    const app = createApp({ sink: collector.spool, now });
    const zoomedOut = { screen_width: 20_480, screen_height: 11_520, viewport_width: 20_480 };
    const res = await post(app, {
      events: [event(zoomedOut), event({ ...zoomedOut, props: { plan: "pro" } })],
    });
    expect(res.json).toEqual({ accepted: 2, rejected: [] });
    const stored = await collector.stored();
    expect(stored.map((e) => [e.screen_width, e.screen_height, e.viewport_width])).toEqual([
      [20_000, 11_520, 20_000],
      [20_000, 11_520, 20_000],
    ]);
  });
  it("keeps a language tag longer than 35 characters, cut at a subtag, rather than refusing the page view", async () => {
    // navigator.language is the browser's: Unicode extensions (calendar, numbers, hour cycle) make it long.
    const app = createApp({ sink: collector.spool, now });
    const long = "en-US-u-ca-gregory-nu-latn-hc-h23-fw-mon";
    const res = await post(app, {
      events: [
        event({ language: long }),
        event({ language: long, props: { plan: "pro" } }),
        event({ language: "x".repeat(40) }),
      ],
    });
    expect(res.json).toEqual({ accepted: 3, rejected: [] });
    const stored = await collector.stored();
    expect(stored.map((e) => e.language)).toEqual([
      "en-US-u-ca-gregory-nu-latn-hc-h23",
      "en-US-u-ca-gregory-nu-latn-hc-h23",
      "x".repeat(35),
    ]);
  });
  it("cuts a long language without splitting a character in two", async () => {
    // 34 letters, then a character of two UTF-16 units across the 35th: cut there, half of it stays.
    const app = createApp({ sink: collector.spool, now });
    const res = await post(app, event({ language: `${"x".repeat(34)}\u{1F600}yz` }));
    expect(res.json).toEqual({ accepted: 1, rejected: [] });
    const [record] = await collector.stored();
    expect(record?.language).toBe("x".repeat(34));
  });
  it("redacts a long language whose cut holds an IP address the whole did not", async () => {
    // 203.0.113.259 is no address; cut after 35 characters, 203.0.113.2 is one.
    const app = createApp({ sink: collector.spool, now });
    const res = await post(app, event({ language: `${"a".repeat(24)}203.0.113.259` }));
    expect(res.json).toEqual({ accepted: 1, rejected: [] });
    const [record] = await collector.stored();
    expect(record?.language).toBe("[redacted]");
  });
  it("normalizes ids, times and strings in the stored record", async () => {
    const app = createApp({ sink: collector.spool, now });
    const upper = "3F2504E0-4F89-41D3-9A0C-0305E82C3301";
    await post(
      app,
      event({
        event_id: upper,
        event_ts: "2026-03-01T05:30:00-04:00",
        page_title: "a\ud800b",
        props: { k: "x\udc00" },
      }),
    );
    const [record] = await collector.stored();
    expect(record).toMatchObject({
      event_id: upper.toLowerCase(),
      event_ts: "2026-03-01T09:30:00.000Z",
      page_title: "a\ufffdb",
      props: { k: "x\ufffd" },
    });
  });
  it("drops the directional controls that would reorder the text after a field wherever it is shown", async () => {
    const app = createApp({ sink: collector.spool, now });
    // A variant named with a right-to-left override would reverse the rest of the verdict naming it.
    const override = "\u202E";
    const res = await post(app, {
      events: [
        event({
          event_type: "experiment_exposure",
          experiment: `cta${override}copy`,
          variant: `${override}b`,
          page_path: `/pricing${override}`,
        }),
        event({
          page_title: "\u2067שלום\u2069 \u202Aworld\u202C \u202Bx\u202D\u2066\u2068",
          utm_campaign: `spring${override}`,
          props: { [`k${override}`]: `v${override}` },
        }),
        // The marks, which reorder nothing beyond themselves, stay.
        event({ event_type: "cta_click", element: "\u200Fbook\u200E" }),
      ],
    });
    expect(res.json).toEqual({ accepted: 3, rejected: [] });
    const [exposure, view, click] = await collector.stored();
    expect(exposure).toMatchObject({ experiment: "ctacopy", variant: "b", page_path: "/pricing" });
    expect(view).toMatchObject({ page_title: "שלום world x", utm_campaign: "spring", props: { k: "v" } });
    expect(click?.element).toBe("\u200Fbook\u200E");
    expect((await collector.lines()).join("\n")).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });
  it("never stores the IP, the user agent or a cookie", async () => {
    const app = createApp({ now, sink: collector.spool });
    await post(app, event({ ip: "203.0.113.9" }), {
      cookie: "session=secret",
      "x-forwarded-for": "203.0.113.9",
    });
    const line = (await collector.lines()).join("\n");
    expect(line).not.toContain("203.0.113.9");
    expect(line).not.toContain("secret");
    expect(line).not.toContain("Mozilla");
  });
  it("redacts an email address in the title, the UTM values and the props' keys and values, as in the path", async () => {
    const app = createApp({ now, sink: collector.spool });
    const email = "jane.doe@example.com";
    await post(app, {
      events: [
        event({ page_title: `Inbox – ${email}`, utm_term: email, utm_content: "jane%40example.com" }),
        event({ event_type: "custom", name: "signup", props: { who: `${email} `, plan: "pro", [email]: 3 } }),
      ],
    });
    const [view, custom] = await collector.stored();
    expect(view).toMatchObject({
      page_title: "[redacted]",
      utm_term: "[redacted]",
      utm_content: "[redacted]",
    });
    expect(custom?.props).toEqual({ who: "[redacted]", plan: "pro", "[redacted]": 3 });
    expect((await collector.lines()).join("\n")).not.toMatch(/jane/);
  });

  it("redacts an email address in a CTA or form name, an event name, an experiment and its variant, the language and time zone", async () => {
    const app = createApp({ now, sink: collector.spool });
    const email = "jane.doe@example.com";
    const res = await post(app, {
      events: [
        event({ event_type: "cta_click", element: `share-with-${email}` }),
        event({ event_type: "form_submit", element: "jane%40example.com" }),
        event({ event_type: "custom", name: `signup ${email}` }),
        event({ event_type: "experiment_exposure", experiment: email, variant: `b-${email}` }),
        event({ language: email, timezone: email }),
        event({
          event_type: "experiment_exposure",
          experiment: "cta_copy",
          variant: "b",
          element: "book-call",
        }),
      ],
    });
    expect(res.json).toEqual({ accepted: 6, rejected: [] });
    const [cta, form, custom, exposure, view, plain] = await collector.stored();
    expect(cta?.element).toBe("[redacted]");
    expect(form?.element).toBe("[redacted]");
    expect(custom?.name).toBe("[redacted]");
    expect(exposure).toMatchObject({ experiment: "[redacted]", variant: "[redacted]" });
    expect(view).toMatchObject({ language: "[redacted]", timezone: "[redacted]" });
    expect(plain).toMatchObject({ experiment: "cta_copy", variant: "b", element: "book-call" });
    expect((await collector.lines()).join("\n")).not.toMatch(/jane/);
  });
});
