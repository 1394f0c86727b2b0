/**
 * Debian's Chromium, driven through the DevTools protocol with
 * puppeteer-core, for the tests that open a report as a reader would. Every
 * request the page makes is intercepted: the page's own files, data: and
 * blob: URLs go through, anything else is refused and recorded, as is what
 * the page's Content-Security-Policy stopped before it became a request, so
 * a test can assert that a report asks the network for nothing.
 */
import puppeteer from "puppeteer-core";
import type { Browser, Page } from "puppeteer-core";

/** Where Debian's chromium package puts the browser (.ci/run installs it). */
export const CHROMIUM = "/usr/bin/chromium";

/** Whether Chromium is installed; the browser tests skip, saying why, when it is not. */
export const chromiumPresent: boolean = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();

/** Prints the one line saying why a browser test does not run. */
export function warnWithoutChromium(test: string): void {
  if (!chromiumPresent) {
    console.warn(
      `${test}: skipping the browser tests: ${CHROMIUM} not found ` +
        "(apt-get update && apt-get install -y chromium)",
    );
  }
}

/** A page in a fresh headless Chromium, and what it tried to fetch from elsewhere. */
export interface BrowserPage {
  readonly browser: Browser;
  readonly page: Page;
  /**
   * URLs the page asked for that are neither its own files nor data:/blob:/about:,
   * and the browser's messages about loads its policy refused.
   */
  readonly refused: string[];
  /** Errors thrown by the page's scripts. */
  readonly errors: string[];
  /** Closes the browser. */
  close(): Promise<void>;
}

/**
 * Starts Chromium headless (no sandbox: the tests run as root; WebGL on
 * SwiftShader, since there is no GPU) with a new empty profile, and opens a
 * page that may load only files under `allowedFolder`.
 *
 * @param allowedFolder the folder whose file: URLs the page may load (the report's store)
 */
export async function openBrowser(allowedFolder: string): Promise<BrowserPage> {
  const profile = await Deno.makeTempDir({ prefix: "encluster-chromium-" });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // DevTools over pipes rather than a WebSocket: the tests need no network permission.
    pipe: true,
    userDataDir: profile,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--use-angle=swiftshader",
      "--enable-unsafe-swiftshader",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
    ],
  });
  const page = await browser.newPage();
  const refused: string[] = [];
  const errors: string[] = [];
  const allowed = `file://${allowedFolder.endsWith("/") ? allowedFolder : `${allowedFolder}/`}`;
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    const url = request.url();
    if (/^(data|blob|about):/.test(url) || url.startsWith(allowed)) {
      request.continue();
    } else {
      refused.push(url);
      request.abort("blockedbyclient");
    }
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  // What the page's Content-Security-Policy stopped before it became a request counts too.
  page.on("console", (message) => {
    const text = message.text();
    if (/Refused to (load|connect|frame|execute)/.test(text)) refused.push(text);
  });
  return {
    browser,
    page,
    refused,
    errors,
    async close() {
      await browser.close();
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}
