// Debian's Chromium for browser tests, driven by playwright-core (which never downloads a browser).
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

const candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** The Chromium to use: CHROMIUM_PATH, else the usual Debian locations; undefined when none exists. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return candidates.find((path) => existsSync(path));
}

/** Logs loudly why browser tests are skipped; CI installs Chromium, so there they always run. */
export function chromiumOrWarn(suite: string): string | undefined {
  const path = findChromium();
  if (!path) {
    const message = `\n!!! ${suite}: SKIPPED — no Chromium found (set CHROMIUM_PATH or apt-get install chromium)\n`;
    if (process.env.CI) throw new Error(message);
    console.warn(message);
  }
  return path;
}

export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    // The closed network refuses Chromium's background connections; these flags stop it trying.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}
