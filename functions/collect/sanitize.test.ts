import { describe, expect, it } from "vitest";
import { REDACTED, redactPersonal, sanitizePath, sanitizeReferrer } from "./sanitize.ts";

// A signed JSON Web Token, as a magic link or an email confirmation carries one: its payload holds
// the user's id, often an email address.
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

describe("sanitizePath", () => {
  it("removes the query string and the fragment", () => {
    expect(sanitizePath("/pricing?utm_source=x&email=a@b.c#plans")).toBe("/pricing");
    expect(sanitizePath("/a#b?c")).toBe("/a");
  });

  it("removes path parameters, such as the session token a Java server writes into links", () => {
    expect(sanitizePath("/shop;jsessionid=0A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D/cart")).toBe("/shop/cart");
    expect(sanitizePath("/cart;JSESSIONID=abc")).toBe("/cart");
    expect(sanitizePath("/heroes;id=15;foo=bar")).toBe("/heroes");
    expect(sanitizePath("/;jsessionid=abc")).toBe("/");
    // An escaped semicolon is part of the name, not a parameter.
    expect(sanitizePath("/a%3Bb")).toBe("/a%3Bb");
    expect(sanitizeReferrer("https://shop.example/item;jsessionid=abc?x=1")).toBe(
      "https://shop.example/item",
    );
  });
  it("redacts email-looking segments encoded twice", () => {
    expect(sanitizePath("/u/john%2540example.com")).toBe(`/u/${REDACTED}`);
  });
  it("redacts email-looking segments, plain or percent-encoded", () => {
    expect(sanitizePath("/users/jane.doe@example.com/settings")).toBe(`/users/${REDACTED}/settings`);
    expect(sanitizePath("/u/jane%40example.com")).toBe(`/u/${REDACTED}`);
  });
  it("redacts long numbers, also written with separators", () => {
    expect(sanitizePath("/orders/123456789")).toBe(`/orders/${REDACTED}`);
    expect(sanitizePath("/call/+44-20-7946-0958")).toBe(`/call/${REDACTED}`);
    expect(sanitizePath("/card/4111 1111 1111 1111")).toBe(`/card/${REDACTED}`);
    expect(sanitizePath("/card/4111_1111_1111_1111")).toBe(`/card/${REDACTED}`);
    expect(sanitizePath("/card/4111,1111,1111,1111")).toBe(`/card/${REDACTED}`);
    expect(sanitizePath("/card/4111%2C1111%2C1111%2C1111")).toBe(`/card/${REDACTED}`);
    expect(sanitizePath("/archive/2026_05_01")).toBe("/archive/2026_05_01");
  });
  it("redacts emails and long numbers written in full-width forms or digits of other scripts", () => {
    // As a browser's location.pathname sends them (percent-encoded UTF-8), and as other clients may.
    expect(sanitizePath("/u/jane%EF%BC%A0example.com")).toBe(`/u/${REDACTED}`);
    expect(sanitizePath("/u/jane＠example．com")).toBe(`/u/${REDACTED}`);
    expect(sanitizePath("/tel/０９０－１２３４－５６７８")).toBe(`/tel/${REDACTED}`);
    expect(
      sanitizePath("/tel/%EF%BC%90%EF%BC%99%EF%BC%90%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96"),
    ).toBe(`/tel/${REDACTED}`);
    expect(sanitizePath("/account/١٢٣٤٥٦٧٨٩")).toBe(`/account/${REDACTED}`);
    expect(sanitizePath("/blog/２０２６/café")).toBe("/blog/２０２６/café");
  });
  it("keeps UUIDs, whatever digits they happen to hold, and still redacts a long number beside one", () => {
    // Joined up, this UUID's groups hold a run of twelve digits; one with letters there does not.
    expect(sanitizePath("/orders/123e4567-e89b-12d3-a456-426614174000")).toBe(
      "/orders/123e4567-e89b-12d3-a456-426614174000",
    );
    expect(sanitizePath("/orders/A0B1C2D3-E4F5-A6B7-C8D9-E0F1A2B3C4D5/items")).toBe(
      "/orders/A0B1C2D3-E4F5-A6B7-C8D9-E0F1A2B3C4D5/items",
    );
    expect(sanitizePath("/123e4567-e89b-12d3-a456-426614174000-4111111111111111")).toBe(`/${REDACTED}`);
  });
  it("redacts segments holding an IP address, as a what-is-my-IP page writes the visitor's own into its links", () => {
    expect(sanitizePath("/ip/203.0.113.9")).toBe(`/ip/${REDACTED}`);
    expect(sanitizePath("/lookup/host-10.0.0.1/details")).toBe(`/lookup/${REDACTED}/details`);
    expect(sanitizePath("/ip/2001:db8::8a2e:370:7334")).toBe(`/ip/${REDACTED}`);
    expect(sanitizePath("/ip/2001%3Adb8%3A%3A1")).toBe(`/ip/${REDACTED}`);
    // Versions, dates and colons in names are no address.
    for (const path of [
      "/download/1.2.3.4.5",
      "/releases/v2.10.3",
      "/blog/2026.05.01",
      "/wiki/Special:Search",
      "/files/300.1.2.3",
      "/time/10:30:00",
    ])
      expect(sanitizePath(path), path).toBe(path);
  });
  it("redacts segments holding a JSON Web Token, as magic-link and email-confirmation pages put one in their paths", () => {
    expect(sanitizePath(`/verify/${JWT}`)).toBe(`/verify/${REDACTED}`);
    expect(sanitizePath(`/auth/magic-link/${JWT}/confirm`)).toBe(`/auth/magic-link/${REDACTED}/confirm`);
    expect(sanitizePath(`/confirm/token=${JWT}`)).toBe(`/confirm/${REDACTED}`);
    // Glued to a name by a dash or an underscore, as a route may write it.
    expect(sanitizePath(`/s/jwt_${JWT}`)).toBe(`/s/${REDACTED}`);
    expect(sanitizePath(`/s/link-${JWT}`)).toBe(`/s/${REDACTED}`);
    // An unsecured token ("alg": "none") has an empty signature.
    expect(sanitizePath("/login/eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.")).toBe(`/login/${REDACTED}`);
    expect(sanitizeReferrer(`https://app.example.com/verify/${JWT}?next=/`)).toBe(
      `https://app.example.com/verify/${REDACTED}`,
    );
    // UUIDs, hex ids and names that merely hold "eyJ" are no token.
    for (const path of [
      "/orders/123e4567-e89b-12d3-a456-426614174000",
      "/commit/9fceb02d0ae598e95dc970b74767f19372d61af8",
      "/music/heyJude.mp3.bak",
      "/jobs/eyJobs.example.com",
    ])
      expect(sanitizePath(path), path).toBe(path);
  });
  it("keeps short numbers and dates", () => {
    expect(sanitizePath("/blog/2026/05/01/post-12")).toBe("/blog/2026/05/01/post-12");
    expect(sanitizePath("/archive/2026-05-01")).toBe("/archive/2026-05-01");
    expect(sanitizePath("/")).toBe("/");
  });
  it("survives malformed percent escapes, without letting them hide an email or a number", () => {
    expect(sanitizePath("/a/%E0%A4%A/b")).toBe("/a/%E0%A4%A/b");
    expect(sanitizePath("/unsubscribe/j%F6rg%40example.de")).toBe(`/unsubscribe/${REDACTED}`);
    expect(sanitizePath("/save-100%-john%40example.com")).toBe(`/${REDACTED}`);
    expect(sanitizePath("/caf%E9/4111%201111%201111%201111%E9")).toBe(`/caf%E9/${REDACTED}`);
  });
});

describe("redactPersonal", () => {
  it("replaces text holding an email address, however it is written, as a path segment", () => {
    for (const text of [
      "jane@example.com",
      "Welcome back, jane.doe@example.co.uk!",
      "jane%40example.com",
      "jane%2540example.com",
      "jane＠example．com",
      "jane﹫example.com",
      // A full-width or small @ percent-encoded, as a browser writes it into a link, once or twice.
      "jane%EF%BC%A0example.com",
      "jane%ef%bc%a0example.com",
      "jane%25EF%25BC%25A0example.com",
      "jane%EF%B9%ABexample.com",
    ])
      expect(redactPersonal(text), text).toBe(REDACTED);
  });
  it("replaces text holding an IP address", () => {
    for (const text of [
      "Your IP address is 203.0.113.9",
      "Whois 198.51.100.23 – lookup",
      "Your IPv6 address: 2001:db8:85a3::8a2e:370:7334",
      "ip%3D203.0.113.9",
    ])
      expect(redactPersonal(text), text).toBe(REDACTED);
  });
  it("replaces text holding a JSON Web Token", () => {
    for (const text of [`Confirm your email – ${JWT}`, JWT, `token%3D${JWT}`])
      expect(redactPersonal(text), text).toBe(REDACTED);
    expect(redactPersonal("Hey Jude – eyJ.a.b")).toBe("Hey Jude – eyJ.a.b");
  });
  it("keeps other text, handles, prices and long numbers included", () => {
    for (const text of [
      "Home :: Blog",
      "Meet at 10:30:00",
      "Release 1.2.3.4.5",
      "localhost ::1",
      "Pricing – ownstats",
      "follow @ownstats",
      "a @ b.com",
      "50% off",
      "order 123456789",
      "日本語",
    ])
      expect(redactPersonal(text), text).toBe(text);
    expect(redactPersonal(undefined)).toBeUndefined();
  });
});

describe("sanitizeReferrer", () => {
  it("keeps origin and path only", () => {
    expect(sanitizeReferrer("https://www.google.com/search?q=secret#x")).toBe(
      "https://www.google.com/search",
    );
    expect(sanitizeReferrer("https://user:pass@news.ycombinator.com:8443/item?id=1")).toBe(
      "https://news.ycombinator.com:8443/item",
    );
  });
  it("stores the same referrer for the same source", () => {
    // A host written with the DNS root's trailing dot is the same host.
    expect(sanitizeReferrer("https://t.co./AbC123")).toBe("https://t.co/AbC123");
    expect(sanitizeReferrer("https://www.example.com.:8443/a")).toBe("https://www.example.com:8443/a");
    // Android sends an app referrer with or without the final slash.
    expect(sanitizeReferrer("android-app://com.google.android.gm")).toBe(
      "android-app://com.google.android.gm/",
    );
  });
  it("redacts personal path segments of the referrer too", () => {
    expect(sanitizeReferrer("https://mail.example.com/u/jane@example.com/inbox")).toBe(
      `https://mail.example.com/u/${REDACTED}/inbox`,
    );
  });
  it("keeps the host of app referrers and drops those without one", () => {
    expect(sanitizeReferrer("android-app://com.google.android.gm/")).toBe(
      "android-app://com.google.android.gm/",
    );
    expect(sanitizeReferrer("data:text/html,hello")).toBeUndefined();
    // A blob: URL's page is the referrer, reduced like any other.
    expect(sanitizeReferrer("blob:https://user:secret@localhost:3000/4111111111111111?x=1")).toBe(
      `https://localhost:3000/${REDACTED}`,
    );
    expect(sanitizeReferrer("blob:null/abc")).toBeUndefined();
    expect(sanitizeReferrer("not a url")).toBeUndefined();
  });
});
