// Kept apart from the clients, so that `ownstats sync` calls it without loading the Kinesis and
// Firehose SDKs.

/**
 * Under Node 20 the SDK prints a warning of nine lines at the first client of every run: its releases
 * after January 2027 will need Node 22. That concerns versions to come, not the one running, and the
 * Node that ownstats runs on is for package.json's engines to say; so it is switched off the way the
 * SDK documents, by its variable, unless the environment set that already.
 */
export function quietSdkNodeVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}
