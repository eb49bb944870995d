// Posts an alert message to a Slack-style incoming webhook (`{"text": …}`), printing nothing of the
// URL but its host: the path is the webhook's secret.

/** Undefined when the webhook took the message; otherwise what went wrong, naming only its host. */
export async function post(webhook: string, text: string): Promise<string | undefined> {
  // The URL's path is its secret, and so are a user and password in it: only the host is ever printed.
  const url = new URL(webhook);
  const host = url.host;
  const headers: Record<string, string> = { "content-type": "application/json" };
  // fetch refuses a URL with credentials, naming the whole URL: they go as Basic authentication instead.
  if (url.username || url.password) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  try {
    const response = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify({ text }),
      // Followed, a redirect turns the POST into a GET (301, 302, 303) that any page answers 200: the
      // message would be lost and counted as sent.
      redirect: "manual",
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    if (response.ok) return undefined;
    const redirect = response.status >= 300 && response.status < 400;
    return `the webhook at ${host} answered ${response.status}${redirect ? ", a redirect: give the URL it redirects to" : ""}`;
  } catch (error) {
    // The network error's code (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED) or message, never fetch's own
    // message, which may quote the URL.
    const network = (error as Error).cause as { code?: unknown; message?: unknown } | undefined;
    const cause =
      (error as Error).name === "TimeoutError"
        ? "no answer in 10 s"
        : String(network?.code ?? network?.message ?? "the request failed");
    return `the webhook at ${host} could not be reached (${cause})`;
  }
}
