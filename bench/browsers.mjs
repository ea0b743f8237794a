// Headless browsers for the browser benchmark and the package smoke test, and one way to read a
// page's result from either. Chromium through playwright-core; Firefox through puppeteer-core over
// WebDriver BiDi, since no geckodriver can be had here.
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import puppeteer from "puppeteer-core";

const paths = {
  Chromium: process.env.CHROMIUM || "/usr/bin/chromium",
  Firefox: process.env.FIREFOX || "/usr/bin/firefox-esr",
};

const launchers = {
  // Playwright gives it a fresh profile; the flags keep background work off a 2-core machine.
  Chromium: (executablePath) => chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--no-first-run"],
  }),
  // Puppeteer creates (and removes) a temporary profile. Firefox's clock steps in 1 ms by default,
  // 2% of a 50 ms timing batch; without reduceTimerPrecision it steps in 20 µs (measured here).
  Firefox: (executablePath, { fineTimers }) => puppeteer.launch({
    browser: "firefox", executablePath, headless: true,
    extraPrefsFirefox: fineTimers ? { "privacy.reduceTimerPrecision": false } : {},
  }),
};

/** Where `name` ("Chromium" or "Firefox") is looked for, and whether it is there. */
export const browserPath = (name) => paths[name];
export const installed = (name) => existsSync(paths[name]);

/**
 * Opens `url` in a fresh headless `name` browser, waits until the page sets `window[key]`,
 * and resolves to that value. `fineTimers` is for benchmarks; tests run the browser as shipped.
 */
export async function pageResult(name, url, key, timeoutMs, { fineTimers = false } = {}) {
  if (!installed(name)) throw new Error(`${name} is not installed at ${paths[name]} (scripts/setup.sh installs it)`);
  const browser = await launchers[name](paths[name], { fineTimers });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    // Polled through evaluate, which both drivers call alike (their waitForFunction signatures differ).
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await page.evaluate((k) => window[k], key);
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`${name}: the page set no window.${key} within ${timeoutMs / 1000} s`);
      await new Promise((ok) => setTimeout(ok, 500));
    }
  } finally {
    await browser.close();
  }
}
