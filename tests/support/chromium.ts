// How every browser run here starts Chromium: Debian's (Playwright cannot download its own offline), or the one
// CHROMIUM_PATH names, headless and quiet (no background networking that could reach past loopback).
export const CHROMIUM_LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
