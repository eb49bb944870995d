// Shared by the tests of the local collector (here and in test/): a page view sent as the tracker
// sends it, from a page of the given origin.
import { randomUUID } from "node:crypto";

/** POSTs one page view of now to the collector at `url`, from `origin`; resolves with the status. */
export const postPageView = (url: string, origin: string): Promise<number> =>
  fetch(`${url}/v1/events`, {
    method: "POST",
    headers: { Origin: origin, "Content-Type": "text/plain" },
    body: JSON.stringify({
      event_type: "page_view",
      event_id: randomUUID(),
      session_id: "session_0001",
      event_ts: new Date().toISOString(),
      page_path: "/pricing",
    }),
  }).then((res) => res.status);
