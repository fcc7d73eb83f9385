#!/usr/bin/env node
// VS Code end-to-end sessions (ctest vscode.e2e): the project's .vsix in a
// fresh code-server, driven through the UI in headless Chromium by
// playwright-core. Every step asserts on what the page shows and saves a
// screenshot into $WDB_VSCODE_OUT/screenshots/.
//
//   1 breakpoint   gutter click in inventory.c, F5 on the "inventory" launch
//                  configuration: the stop on that line, the Call Stack's
//                  frames (file:line), Locals, a struct pointer expanded
//   2 stepping     toolbar step into / over / out, a Watch expression, a
//                  hover, the Debug Console (an expression and `bt`)
//   3 conditions   a conditional breakpoint and a logpoint from the gutter's
//                  context menu
//   4 trap         traps.wasm div: the trap as an exception on its line
//   5 attach       to `wdb-run --gdb-listen` running spin.wasm: pause,
//                  continue, disconnect (the program runs on)
//   6 core         a core file from `wdb-run --core-on-trap`: the editor
//                  opens on the trapping line
//   7 disassembly  the Disassembly view; memory through `x/8xb &a` in the
//                  Debug Console (VS Code's memory view is the Hex Editor
//                  extension, which is not there offline)
//   8 new user     a folder with a .c and its .wasm and no launch.json: F5;
//                  a folder with a .c alone: F5 gives one clear message
//   9 device       the firmware running spin.wasm in QEMU's mps2-an385, its
//                  debug UART on a serial device (socat makes a pty of QEMU's
//                  TCP serial): attach with "serialPort", pause, the loop's
//                  variables, continue, disconnect (the device runs on)
//  10 rust         a folder with values.rs and its values.wasm, no launch.json:
//                  gutter breakpoint, F5, the stop, Rust values in Locals
//                  (a char, an array's elements, a trait object), an enum's
//                  variant in Watch, step
//  11 asc          tests/asc's programs folder (shapes.ts with the .wasm and
//                  source map asc wrote), no launch.json: gutter breakpoint
//                  on a .ts line, F5 (VS Code asks which debugger: wdb), the
//                  stop on that .ts line, .ts frames, locals, step, continue
//  12 reverse      a trap recorded with WDB_RECORD, launched with "replay"
//                  (wdb-run keeps its history: it runs backward): the trap,
//                  then the toolbar's
//                  Step Back (line by line, locals going back in time) and
//                  Reverse (to the start of the history)
//
// Environment (set by tests/vscode/CMakeLists.txt):
//   WDB, WDB_RUN, WDB_VSIX, WDB_VSCODE_WORKSPACE, WDB_VSCODE_NEWUSER,
//   WDB_VSCODE_NOWASM, WDB_VSCODE_RUST, WDB_VSCODE_ASC, WDB_VSCODE_OUT (run/ and screenshots/ go there),
//   WDB_VSCODE_NODE_DIR (playwright-core), WDB_VSCODE_DOCS (docs/screenshots)
//   WDB_DEVICE_STAND_IN, WDB_QEMU, WDB_DEVICE_FW_DIR (step 9: the firmware,
//   tests/device/device-as-wdb-run.sh)
// Optional: CS_HOME (code-server, as setup.sh), WDB_VSCODE_ONLY=1,4 (steps),
//   WDB_VSCODE_UPDATE_SCREENSHOTS=1 (copy the README's screenshots to
//   docs/screenshots/), CHROMIUM (default: chromium in PATH).
//
// Reliability: fresh code-server user data, extensions dir and Chromium
// profile per run; loopback ports chosen at run time; every wait is for a
// condition on the page (no fixed sleeps), with the page text in the error.
'use strict';
const fs = require('fs');
const os = require('os');
const net = require('net');
const path = require('path');
const http = require('http');
const { spawn, spawnSync, execFileSync } = require('child_process');

const env = (name) => {
  const v = process.env[name];
  if (!v) { console.error(`FAIL: ${name} is not set (run through ctest: tests/vscode/CMakeLists.txt)`); process.exit(1); }
  return v;
};
const WDB = env('WDB');
const WDB_RUN = env('WDB_RUN');
const VSIX = env('WDB_VSIX');
const WS = env('WDB_VSCODE_WORKSPACE');
const NEWUSER = env('WDB_VSCODE_NEWUSER');
const NOWASM = env('WDB_VSCODE_NOWASM');
const RUSTWS = env('WDB_VSCODE_RUST');
const ASCWS = env('WDB_VSCODE_ASC');
const OUT = env('WDB_VSCODE_OUT');
const NODE_DIR = env('WDB_VSCODE_NODE_DIR');
const DOCS = process.env.WDB_VSCODE_DOCS;
const CS_VERSION = '4.100.3';
const CS_HOME = process.env.CS_HOME ||
  path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'wdb', `code-server-${CS_VERSION}`);
const CS_BIN = path.join(CS_HOME, 'node_modules/.bin/code-server');
const ONLY = (process.env.WDB_VSCODE_ONLY || '').split(',').filter(Boolean);
const RUN = path.join(OUT, 'run');
const SHOTS = path.join(OUT, 'screenshots');
// The README's screenshots: [screenshot here, name in docs/screenshots].
const README_SHOTS = [['01-breakpoint.png', 'vscode-breakpoint.png'], ['04-trap.png', 'vscode-trap.png'],
  ['09a-device-paused.png', 'vscode-device.png'], ['10a-rust-breakpoint.png', 'vscode-rust.png'],
  ['11a-asc-breakpoint.png', 'vscode-assemblyscript.png'], ['12-reverse.png', 'vscode-reverse.png']];
const CHROMIUM = process.env.CHROMIUM ||
  (process.env.PATH || '').split(':').map((d) => path.join(d, 'chromium')).find((p) => fs.existsSync(p));
const T = 30000; // the longest any single UI condition may take

const t0 = Date.now();
const log = (...a) => console.log(`[vscode +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let chromium;
try {
  ({ chromium } = require(require.resolve('playwright-core', { paths: [path.join(NODE_DIR, 'node_modules')] })));
} catch (e) {
  console.error(`FAIL: playwright-core not found in ${NODE_DIR}: run the vscode.setup test (tests/vscode/setup.sh)`);
  process.exit(1);
}
for (const [what, p] of [['code-server (run tests/vscode/setup.sh)', CS_BIN], ['chromium (tests/vscode/setup.sh installs it)', CHROMIUM || 'chromium'], ['wdb', WDB], ['wdb-run', WDB_RUN], ['the .vsix', VSIX]]) {
  if (!fs.existsSync(p)) { console.error(`FAIL: ${what} not found: ${p}`); process.exit(1); }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}
function httpStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => { res.resume(); resolve(res.statusCode); });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => { req.destroy(); resolve(0); });
  });
}
async function until(what, fn, timeout = T) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try { const v = await fn(); if (v) return v; } catch (e) { last = e; }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (${last.message.split('\n')[0]})` : ''}`);
    await sleep(100);
  }
}

// --------------------------------------------------------------- the page
let page;

const norm = (s) => (s || '').replace(/\u00a0/g, ' ');
async function textOf(selector) {
  // Playwright's locators see into shadow roots (dialogs are in one).
  return norm((await page.locator(selector).allInnerTexts()).join('\n'));
}
// Waits until the text of selector, white space collapsed, matches re; the
// error shows the text.
async function waitText(selector, re, what, timeout = T) {
  const end = Date.now() + timeout;
  let txt = '';
  for (;;) {
    txt = await textOf(selector).catch(() => '');
    const m = txt.replace(/\s+/g, ' ').match(re); // innerText splits "v =" and "8.75" into lines
    if (m) return m;
    // No step expects a modal dialog: one (e.g. "wdb exited ...") ends the wait.
    const dialog = await textOf('.monaco-dialog-box .dialog-message-container').catch(() => '');
    if (dialog.trim()) throw new Error(`${what}: an error dialog instead: ${JSON.stringify(dialog.trim())}`);
    if (Date.now() > end) {
      throw new Error(`${what}: ${re} not shown within ${timeout / 1000}s; ${selector} shows:\n` +
        (txt.trim() ? txt.trim().split('\n').map((l) => '    | ' + l).join('\n') : '    (nothing)'));
    }
    await sleep(100);
  }
}
// A pane of the Run and Debug view: Variables, Watch, Call Stack, Breakpoints.
const pane = (title) => `.debug-viewlet .pane:has(> .pane-header[aria-label^="${title}" i])`;
const VARS = pane('Variables');
const WATCH = pane('Watch');
const STACK = pane('Call Stack');
const REPL = '.repl';
const EDITOR = '.editor-instance .monaco-editor';

async function shot(name) {
  const p = path.join(SHOTS, name);
  await page.screenshot({ path: p });
  log('screenshot', path.relative(OUT, p));
}

const reEscape = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Runs a command from the command palette by its title, with or without
// its category ("Debug: ", "View: ").
// keepOpen: the command opens a quick pick of its own.
async function command(title, keepOpen = false) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: T });
  await input.fill('>' + title);
  const row = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^(?:[\\w ]+: )?${reEscape(title)}$`) }) });
  await row.first().waitFor({ timeout: T });
  await row.first().click();
  if (!keepOpen) await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: T });
}

// Quick Open: opens a file of the workspace in the editor.
async function openFile(name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: T });
  await input.fill(name);
  const row = page.locator(`.quick-input-list .monaco-list-row[aria-label^="${name}"]`).first();
  await row.waitFor({ timeout: T });
  await row.click(); // not Enter: the focused row may still be a recent file
  await page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).waitFor({ timeout: T });
  await page.locator(EDITOR).first().waitFor({ timeout: T });
}

// Scrolls the active editor so that line is shown (Quick Open's :LINE), which
// also gives it the keyboard focus.
async function revealLine(line) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: T });
  await input.fill(`:${line}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: new RegExp(`line ${line}`, 'i') }).first().waitFor({ timeout: T });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: T });
  await waitText('.statusbar', new RegExp(`Ln ${line},`), `cursor on line ${line}`);
}
// Keyboard focus in the active editor (for F5).
async function focusEditor() {
  const b = await page.locator(EDITOR).first().boundingBox();
  await page.mouse.click(b.x + b.width / 2, b.y + Math.min(b.height / 2, 200));
}

// The box of the glyph margin (breakpoints) on a line of the active editor.
async function gutterPoint(line) {
  await revealLine(line);
  const num = page.locator(`${EDITOR} .margin-view-overlays .line-numbers`, { hasText: new RegExp(`^${line}$`) });
  const nb = await num.boundingBox();
  const gb = await page.locator(`${EDITOR} .glyph-margin`).first().boundingBox();
  if (!nb || !gb) throw new Error(`line ${line} is not shown in the editor`);
  return { x: gb.x + gb.width / 2, y: nb.y + nb.height / 2 };
}

// The editor's glyph-margin decorations by line: { 32: ['debug-breakpoint'] }.
async function glyphs() {
  return page.evaluate((sel) => {
    const ed = document.querySelector(sel);
    const byTop = {};
    for (const d of ed.querySelectorAll('.margin-view-overlays > div')) {
      const n = d.querySelector('.line-numbers');
      if (n) byTop[parseInt(d.style.top, 10)] = n.textContent.trim();
    }
    const out = {};
    for (const g of ed.querySelectorAll('.glyph-margin-widgets .cgmr')) {
      const line = byTop[parseInt(g.style.top, 10)];
      if (!line) continue;
      const kinds = [...g.classList].filter((c) => c.startsWith('codicon-debug'));
      (out[line] = out[line] || []).push(...kinds.map((c) => c.slice('codicon-'.length)));
    }
    return out;
  }, EDITOR);
}

async function setBreakpointByClick(line) {
  const p = await gutterPoint(line);
  await page.mouse.click(p.x, p.y);
  await until(`a breakpoint glyph on line ${line}`, async () => ((await glyphs())[line] || []).some((k) => /breakpoint/.test(k)));
}

// Right-click in the gutter and choose item; then type into the breakpoint
// widget that opens.
async function gutterMenu(line, item, text) {
  const p = await gutterPoint(line);
  await page.mouse.click(p.x, p.y, { button: 'right' });
  const mi = page.getByRole('menuitem', { name: item }).first();
  const widget = page.locator('.breakpoint-widget');
  // A click while the menu is still being laid out can be lost: click
  // again (or Enter on the item) until the widget opens.
  await until(`the breakpoint widget (${item})`, async () => {
    if (await widget.isVisible()) return true;
    if (await mi.isVisible()) {
      await mi.click({ timeout: 2000 }).catch(() => {});
      await widget.waitFor({ state: 'visible', timeout: 2000 }).catch(() => {});
    }
    return widget.isVisible();
  });
  await widget.locator('.inputContainer .monaco-editor').click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: T });
}

// The line the editor marks as the current stack frame (arrow glyph), or null.
async function stoppedLine() {
  const g = await glyphs();
  for (const [line, kinds] of Object.entries(g)) {
    if (kinds.some((k) => /stackframe/.test(k) && !/focused/.test(k))) return Number(line);
  }
  return null;
}
async function waitStoppedAt(file, line, reason) {
  await waitText(STACK, reason, `Call Stack state`);
  await page.locator(`.tabs-container .tab.active[aria-label^="${file}"]`).waitFor({ timeout: T })
    .catch(async () => { throw new Error(`editor did not show ${file}; active tab: ${await textOf('.tabs-container .tab.active')}`); });
  await until(`the current-line arrow on ${file}:${line}`, async () => (await stoppedLine()) === line)
    .catch(async (e) => { throw new Error(`${e.message}; glyphs: ${JSON.stringify(await glyphs())}`); });
}

async function toolbar(label) {
  const b = page.locator(`.debug-toolbar .action-label[aria-label^="${label}"]`);
  await b.waitFor({ state: 'visible', timeout: T });
  await until(`toolbar button ${label} enabled`, async () => !(await b.getAttribute('class')).includes('disabled'));
  await b.click();
}

// Expands the first row of a tree (Variables, Watch) whose text, white space
// collapsed, matches re.
async function expand(container, re) {
  const find = () => page.evaluate(([sel, src, flags]) => {
    const r = new RegExp(src, flags);
    const rows = [...document.querySelectorAll(`${sel} .monaco-list-row`)];
    return rows.findIndex((e) => r.test(e.textContent.replace(/\s+/g, ' ').replace(/ ?= ?/, ' = ').trim()));
  }, [container, re.source, re.flags]);
  const i = await until(`a row ${re} in ${container}`, async () => { const k = await find(); return k >= 0 ? k + 1 : 0; })
    .catch(async (e) => {
      const rows = await page.evaluate((sel) => [...document.querySelectorAll(`${sel} .monaco-list-row`)].map((e) => e.textContent), container);
      throw new Error(`${e.message}; its rows: ${JSON.stringify(rows)}`);
    });
  const row = page.locator(`${container} .monaco-list-row`).nth(i - 1);
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await until(`${re} expanded`, async () => (await row.getAttribute('aria-expanded')) === 'true');
}

async function repl(line) {
  const input = page.locator('.repl-input-wrapper .monaco-editor');
  await input.waitFor({ state: 'visible', timeout: T });
  await input.click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

async function startWith(config) {
  await command('Select and Start Debugging', true);
  const row = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${reEscape(config)}$`) }) });
  await row.first().waitFor({ timeout: T });
  await row.first().click();
}
async function debugStopped() {
  await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: T });
}

// Notifications shown (toasts and the center), one string each.
async function notifications() {
  return page.evaluate(() => [...document.querySelectorAll('.notifications-toasts .notification-toast .notification-list-item-message')].map((e) => e.innerText));
}

// --------------------------------------------------------------- the server
let server, serverExited = false, userData, extDir, xdgEnv;
async function stopServer() {
  if (!server || serverExited) return;
  try { process.kill(-server.pid, 'SIGTERM'); } catch (_) {}
  for (let i = 0; i < 50 && !serverExited; i++) await sleep(100);
  if (!serverExited) { try { process.kill(-server.pid, 'SIGKILL'); } catch (_) {} }
}
let base;

function extHostsReady() {
  const logs = path.join(userData, 'logs');
  let n = 0;
  for (const stamp of fs.existsSync(logs) ? fs.readdirSync(logs) : []) {
    for (const eh of fs.readdirSync(path.join(logs, stamp)).filter((d) => d.startsWith('exthost'))) {
      const f = path.join(logs, stamp, eh, 'remoteexthost.log');
      if (fs.existsSync(f) && fs.readFileSync(f, 'utf8').includes('Eager extensions activated')) n++;
    }
  }
  return n;
}

// Loads the workbench on folder (a new window: new extension host) and
// waits until the extension host has activated the startup extensions (F5
// before that leaves the debug start hanging).
async function openFolder(folder, expectFile) {
  const before = extHostsReady();
  await page.goto(`${base}/?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('.monaco-workbench .part.activitybar', { timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: expectFile }).first().waitFor({ timeout: 60000 });
  await until('the extension host', async () => extHostsReady() > before, 60000);
  log('workbench ready on', path.basename(folder));
}

// Back to a clean window between steps of one folder.
async function reset() {
  await page.keyboard.press('Escape');
  if (await page.locator('.debug-toolbar').isVisible()) {
    await page.keyboard.press('Shift+F5');
    await debugStopped();
  }
  await command('Remove All Breakpoints');
  // The Watch pane's and the Debug Console's own buttons (not in the palette).
  if (await page.locator(`${WATCH} .monaco-list-row`).count()) {
    await page.locator(`${WATCH} .pane-header`).hover();
    await page.locator(`${WATCH} .pane-header .action-label[aria-label^="Remove All Expressions"]`).click();
    await until('an empty Watch pane', async () => (await page.locator(`${WATCH} .monaco-list-row`).count()) === 0);
  }
  const clear = page.locator('.part.panel .action-label[aria-label^="Clear Console"]').first();
  if (await clear.isVisible()) await clear.click();
  await command('Close All Editors');
  await command('Clear All Notifications');
}

// --------------------------------------------------------------- the steps
// Lines named by the markers in the sources' comments.
const lineOf = (file, marker) => {
  const i = fs.readFileSync(path.join(WS, file), 'utf8').split('\n').findIndex((l) => l.includes(`/* ${marker} */`));
  if (i < 0) throw new Error(`${marker} not found in ${file}`);
  return i + 1;
};
const CALL_DIV = lineOf('traps.c', 'LINE_CALL_DIV');
const LINE_DIVIDE = lineOf('traps.c', 'LINE_DIVIDE');
const LINE_SPIN = lineOf('spin.c', 'LINE_SPIN');
let spinPort, spinProc;
let deviceProc, socatProc;
const DEVICE_TTY = () => path.join(RUN, 'ttyDEVICE');

async function step1() {
  await openFile('inventory.c');
  await setBreakpointByClick(32);
  await command('Show Run and Debug');
  await until('"inventory" selected in Run and Debug', async () => (await page.evaluate(() => {
    const s = document.querySelector('.debug-viewlet select, .part.sidebar select');
    return s && s.selectedIndex >= 0 ? s.options[s.selectedIndex].text : '';
  })) === 'inventory');
  await focusEditor();
  await page.keyboard.press('F5');
  await waitStoppedAt('inventory.c', 32, /Paused on breakpoint/);
  // Frames with their files and lines.
  await waitText(STACK, /value\s+inventory\.c\s+32:\d+\s+main\s+inventory\.c\s+45:\d+/, 'Call Stack frames');
  await waitText(VARS, /Locals\s+v = 8\.75/, 'Locals');
  await expand(VARS, /^Arguments/);
  await expand(VARS, /^it = 0x/);
  await expand(VARS, /^\*it = /);
  await waitText(VARS, /\*it = \{\.\.\.\} name = "pear\\000[\\0 ]*" qty = 7 price = 1\.25/, 'the members of *it');
  await shot('01-breakpoint.png');
}

async function step2() {
  await openFile('inventory.c');
  await setBreakpointByClick(46);
  await page.keyboard.press('F5');
  await waitStoppedAt('inventory.c', 46, /Paused on breakpoint/);
  await toolbar('Step Into');
  await waitStoppedAt('inventory.c', 24, /Paused on step/);
  await waitText(STACK, /fact\s+inventory\.c\s+24:\d+\s+main\s+inventory\.c\s+46:\d+/, 'Call Stack after step into');
  await expand(VARS, /^Arguments$/);
  await waitText(VARS, /n = 5/, 'the argument n');
  await shot('02a-step-into.png');
  await toolbar('Step Over');
  await waitStoppedAt('inventory.c', 26, /Paused on step/);
  await toolbar('Step Out');
  await waitStoppedAt('inventory.c', 46, /Paused on step/);
  await toolbar('Step Over');
  await waitStoppedAt('inventory.c', 47, /Paused on step/);
  await waitText(STACK, /Paused on step main inventory\.c 47:\d+/, 'Call Stack back in main');
  // Watch: the pane's "Add Expression" action, then an inline input.
  await page.locator(`${WATCH} .pane-header`).hover();
  await page.locator(`${WATCH} .pane-header .action-label[aria-label^="Add Expression"]`).click();
  await page.locator(`${WATCH} .monaco-inputbox input, ${WATCH} .monaco-inputbox textarea`).first().waitFor({ timeout: T });
  await page.keyboard.type('f * 2');
  await page.keyboard.press('Enter');
  await waitText(WATCH, /f \* 2 = 240/, 'the watch expression f * 2');
  // Hover: the mouse over `sum` on line 47. The word is found again on each
  // try: decorations that arrive late (inline breakpoint markers) move the
  // text, and a mouse left on the old place shows nothing.
  await revealLine(47);
  const hoverEnd = Date.now() + T;
  for (let tries = 1; ; tries++) {
    const pos = await page.evaluate((sel) => {
      const ed = document.querySelector(sel);
      for (const l of ed.querySelectorAll('.view-line')) {
        const i = l.textContent.replace(/\u00a0/g, ' ').indexOf(' sum, ');
        if (i < 0) continue;
        const walker = document.createTreeWalker(l, NodeFilter.SHOW_TEXT);
        let off = i + 1;
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (off < n.length) {
            const r = document.createRange();
            r.setStart(n, off); r.setEnd(n, Math.min(off + 3, n.length));
            const b = r.getBoundingClientRect();
            return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
          }
          off -= n.length;
        }
      }
      return null;
    }, EDITOR);
    if (!pos) throw new Error('`sum` not found on line 47');
    await page.mouse.move(5, 400);
    await page.mouse.move(pos.x - 30, pos.y);
    await page.mouse.move(pos.x, pos.y, { steps: 3 });
    try {
      await waitText('.monaco-hover, .debug-hover-widget', /10\.25/, `the hover over sum (try ${tries})`,
        Math.max(1000, Math.min(6000, hoverEnd - Date.now())));
      break;
    } catch (e) {
      if (Date.now() >= hoverEnd) throw e;
      log(e.message.split('\n')[0]);
    }
  }
  await shot('02b-watch-hover.png');
  await page.mouse.move(5, 400);
  // Debug Console: an expression, then a wdb command.
  await command('Focus on Debug Console View');
  await repl('squares[5] + f');
  await waitText(REPL, /145/, 'squares[5] + f in the Debug Console');
  await repl('bt');
  await waitText(REPL, /#0\s+main \(\) at \S*inventory\.c:47/, 'bt in the Debug Console');
  await shot('02c-console.png');
}

async function step3() {
  await openFile('inventory.c');
  await gutterMenu(31, 'Add Logpoint...', 'qty={it->qty} price={it->price}');
  await until('a logpoint glyph on line 31', async () => ((await glyphs())[31] || []).some((k) => /log/.test(k)));
  await gutterMenu(24, 'Add Conditional Breakpoint...', 'n == 2');
  await until('a conditional breakpoint glyph on line 24', async () => ((await glyphs())[24] || []).some((k) => /conditional/.test(k)));
  await focusEditor();
  await page.keyboard.press('F5');
  await waitStoppedAt('inventory.c', 24, /Paused on breakpoint/);
  await expand(VARS, /^Arguments$/);
  await waitText(VARS, /n = 2\b/, 'n at the conditional breakpoint');
  await waitText(STACK, /fact\s+inventory\.c\s+24:\d+\s+fact\s+inventory\.c\s+26:\d+\s+fact\s+inventory\.c\s+26:\d+\s+fact\s+inventory\.c\s+26:\d+\s+main\s+inventory\.c\s+46:\d+/,
    'four fact frames (n = 2, 3, 4, 5) above main');
  await command('Focus on Debug Console View');
  await waitText(REPL, /qty=7 price=1\.25[\s\S]*qty=3 price=0\.5/, 'the logpoint messages');
  await shot('03-conditional-logpoint.png');
}

async function step4() {
  await openFile('traps.c');
  await startWith('traps div');
  // The Call Stack's state is the stop's description: the trap message.
  await waitStoppedAt('traps.c', LINE_DIVIDE, /CALL STACK integer divide by zero/i);
  await waitText('.exception-widget', /integer divide by zero/, 'the exception widget');
  await waitText(STACK, new RegExp(`divide\\s+traps\\.c\\s+${LINE_DIVIDE}:\\d+\\s+main\\s+traps\\.c\\s+${CALL_DIV}:\\d+`), 'Call Stack at the trap');
  await expand(VARS, /^Arguments$/);
  await waitText(VARS, /a = 10\s+b = 0/, 'the arguments of divide');
  await shot('04-trap.png');
}

async function step5() {
  // Started here: spin.wasm ends by itself after 2^32 iterations (tens of
  // seconds).
  spinProc = spawn(WDB_RUN, [`--gdb-listen=127.0.0.1:${spinPort}`, path.join(WS, 'spin.wasm')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let spinErr = '';
  spinProc.stderr.on('data', (d) => { spinErr += d; });
  await until('wdb-run listening', async () => {
    if (spinProc.exitCode !== null) throw new Error(`wdb-run exited: ${spinErr}`);
    return /debugger port/.test(spinErr);
  });
  await openFile('spin.c');
  await startWith('attach spin');
  await waitText(STACK, /Running/, 'the attached program running');
  await shot('05a-attached-running.png');
  await toolbar('Pause');
  await waitStoppedAt('spin.c', LINE_SPIN, /Paused/);
  await waitText(STACK, new RegExp(`main\\s+spin\\.c\\s+${LINE_SPIN}:\\d+`), 'main in the Call Stack');
  await expand(VARS, /^Globals$/);
  await waitText(VARS, /g_iterations = [1-9]\d*/, 'the loop counter (it ran before the pause)');
  await shot('05b-attach-paused.png');
  await toolbar('Continue');
  await waitText(STACK, /Running/, 'the program running again');
  await toolbar('Disconnect');
  await debugStopped();
  await sleep(0);
  if (spinProc.exitCode !== null) throw new Error(`wdb-run exited after the disconnect (status ${spinProc.exitCode}): it must run on`);
  log('disconnected; wdb-run still runs');
  await shot('05c-disconnected.png');
}

async function step9() {
  const standIn = env('WDB_DEVICE_STAND_IN');
  // the device: the firmware built from this workspace's spin.wasm, running
  // at once (its debugger attaches whenever it comes), UART 1 over TCP
  deviceProc = spawn(standIn, ['--gdb-listen=127.0.0.1:0', 'spin.wasm'], { cwd: WS, stdio: ['ignore', 'ignore', 'pipe'] });
  let devErr = '';
  deviceProc.stderr.on('data', (d) => { devErr += d; });
  let port = 0;
  await until('the device listening', async () => {
    if (deviceProc.exitCode !== null) throw new Error(`the device ended: ${devErr}`);
    const m = /debugger port (\d+)/.exec(devErr);
    if (m) port = Number(m[1]);
    return port > 0;
  }, 30000);
  // the serial device the user would pick: a pty joined to the UART
  fs.rmSync(DEVICE_TTY(), { force: true });
  socatProc = spawn('socat', [`pty,raw,echo=0,link=${DEVICE_TTY()}`, `tcp:127.0.0.1:${port}`], { stdio: 'ignore' });
  await until('the serial device', async () => fs.existsSync(DEVICE_TTY()));
  await openFile('spin.c');
  await startWith('attach device');
  await waitText(STACK, /Running/, 'the device program running');
  await toolbar('Pause');
  await waitStoppedAt('spin.c', LINE_SPIN, /Paused/);
  await waitText(STACK, new RegExp(`main\\s+spin\\.c\\s+${LINE_SPIN}:\\d+`), 'main in the Call Stack');
  await expand(VARS, /^Globals$/);
  await waitText(VARS, /g_iterations = [1-9]\d*/, 'the loop counter on the device');
  await shot('09a-device-paused.png');
  await toolbar('Continue');
  await waitText(STACK, /Running/, 'the device running again');
  await toolbar('Disconnect');
  await debugStopped();
  await sleep(300);
  if (deviceProc.exitCode !== null) throw new Error(`the device ended after the disconnect (status ${deviceProc.exitCode}): it must run on`);
  log('disconnected; the device still runs');
  await shot('09b-device-disconnected.png');
}

async function step6() {
  await startWith('core traps');
  await waitStoppedAt('traps.c', LINE_DIVIDE, /CALL STACK integer divide by zero/i);
  const widget = await waitText('.exception-widget', /integer divide by zero/, 'the exception widget', 5000).then(() => true, () => false);
  if (!widget) {
    log('step 6: no exception widget after the core stop; selecting the top frame');
    await page.locator(`${STACK} .monaco-list-row`, { hasText: 'divide' }).first().click();
    await waitText('.exception-widget', /integer divide by zero/, 'the trap of the core file');
  }
  await waitText(STACK, new RegExp(`divide\\s+traps\\.c\\s+${LINE_DIVIDE}:\\d+\\s+main\\s+traps\\.c\\s+${CALL_DIV}:\\d+`), 'Call Stack of the core');
  await shot('06-core.png');
}

async function step7() {
  await openFile('inventory.c');
  await setBreakpointByClick(46);
  await startWith('inventory');
  await waitStoppedAt('inventory.c', 46, /Paused on breakpoint/);
  await command('Open Disassembly View');
  const dis = '.disassembly-view';
  // Line 46's source above its instructions: the call of fact(5).
  await waitText(dis, /46: int f = fact\(5\); 0x[0-9a-f]+ 20 00 local\.get 0 0x[0-9a-f]+ 41 05 i32\.const 5 0x[0-9a-f]+ [0-9a-f ]+ call \d+ <fact>/,
    'the instructions of line 46 in the Disassembly view');
  await shot('07a-disassembly.png');
  // The memory view: `wdb: Show Memory` asks for an expression and opens
  // a hex dump of linear memory beside the source: a.name is a char[12]
  // holding "apple", in memory at its own address.
  await command('Show Memory', true);
  const ask = page.locator('.quick-input-widget input');
  await ask.waitFor({ state: 'visible', timeout: T });
  await waitText('.quick-input-widget', /An address or a C expression/, 'the Show Memory prompt');
  await ask.fill('a.name');
  await page.keyboard.press('Enter');
  const memTab = page.locator('.tabs-container .tab', { hasText: 'a.name.hex' });
  await memTab.first().waitFor({ timeout: T });
  // "apple" then the NUL, at the address a.name holds, with its ASCII column
  await waitText('.editor-instance .monaco-editor .view-lines',
    /a\.name: 256 bytes at 0x[0-9a-f]{8} in linear memory[\s\S]*[0-9a-f]{8} 61 70 70 6c 65 00 [0-9a-f ]+\|apple\./,
    'the memory view of a.name');
  await shot('07b-memory.png');
  // the Debug Console's x command reads the same bytes
  await command('Focus on Debug Console View');
  await repl('x/6xb a.name');
  await waitText(REPL, /0x61\s+0x70\s+0x70\s+0x6c\s+0x65\s+0x00/, 'x/6xb a.name');
}

async function step8() {
  await openFolder(NEWUSER, 'inventory.c');
  if (fs.existsSync(path.join(NEWUSER, '.vscode'))) throw new Error('the new user folder has a .vscode folder');
  await openFile('inventory.c');
  await setBreakpointByClick(32);
  await focusEditor();
  await page.keyboard.press('F5');
  await waitStoppedAt('inventory.c', 32, /Paused on breakpoint/);
  await waitText(VARS, /v = 8\.75/, 'Locals without launch.json');
  await shot('08a-new-user.png');
  await page.keyboard.press('Shift+F5');
  await debugStopped();

  await openFolder(NOWASM, 'hello.c');
  await openFile('hello.c');
  await focusEditor();
  await page.keyboard.press('F5');
  await until('a notification', async () => (await notifications()).length > 0);
  await until('the notification faded in', () => page.evaluate(() => [...document.querySelectorAll('.notifications-toasts .notification-toast')]
    .every((e) => getComputedStyle(e).opacity === '1')));
  await waitText('.notifications-toasts', /wdb: no WebAssembly module for hello\.c[\s\S]*clang-22 --target=wasm32-wasi -g -O0 hello\.c -o hello\.wasm/, 'the message for a .c without .wasm');
  const shown = await notifications();
  if (shown.length !== 1) throw new Error(`expected one message, got ${shown.length}:\n${shown.join('\n')}`);
  if (await page.locator('.debug-toolbar').isVisible()) throw new Error('a debug session started without a module');
  await shot('08b-no-wasm.png');
}

// The line of a file holding text (exactly one such line).
function lineWith(file, text) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const hits = lines.map((l, i) => (l.includes(text) ? i + 1 : 0)).filter(Boolean);
  if (hits.length !== 1) throw new Error(`${JSON.stringify(text)}: ${hits.length} lines of ${file}, not one`);
  return hits[0];
}

// F5 on a file whose language several debuggers take (TypeScript: VS Code's
// own JavaScript debugger too): VS Code asks which; pick label. Returns
// whether it asked.
async function pickDebuggerIfAsked(label) {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row',
    { has: page.locator('.label-name', { hasText: new RegExp(`^${reEscape(label)}$`) }) });
  const asked = await until(`the debug session or a debugger choice`, async () => {
    if (await row.first().isVisible()) return 'asked';
    if (await page.locator('.debug-toolbar').isVisible()) return 'started';
    return '';
  });
  if (asked !== 'asked') return false;
  await shot('11-debugger-choice.png');
  await row.first().click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: T });
  return true;
}

// Makes the Variables pane taller: drags the sash above the Watch pane
// down by dy pixels (the rows of a tree below its fold are not in the page).
async function growVariables(dy) {
  const before = (await page.locator(VARS).boundingBox()).height;
  const hb = await page.locator(`${WATCH} > .pane-header`).boundingBox();
  const x = hb.x + hb.width / 2;
  await page.mouse.move(x, hb.y);
  await page.mouse.down();
  await page.mouse.move(x, hb.y + dy / 2);
  await page.mouse.move(x, hb.y + dy);
  await page.mouse.up();
  await until('a taller Variables pane', async () => (await page.locator(VARS).boundingBox()).height > before + 60) // the Watch pane keeps its minimum
    .catch(async (e) => { throw new Error(`${e.message}: ${before}px, then ${(await page.locator(VARS).boundingBox()).height}px`); });
}

async function step10() {
  await openFolder(RUSTWS, 'values.rs');
  if (fs.existsSync(path.join(RUSTWS, '.vscode'))) throw new Error('the Rust folder has a .vscode folder');
  const line = lineWith(path.join(RUSTWS, 'values.rs'), 'stop_here(&d);');
  await openFile('values.rs');
  await setBreakpointByClick(line);
  await focusEditor();
  await page.keyboard.press('F5');
  await waitStoppedAt('values.rs', line, /Paused on breakpoint/);
  await waitText(STACK, new RegExp(`values::main\\s+values\\.rs\\s+${line}:\\d+`), 'Call Stack in Rust');
  await growVariables(300);
  // Values as Rust writes them (Locals, innermost first): an integer, a
  // char, a bool, an array's elements, a trait object.
  await waitText(VARS, /Locals\s+d = 8\b/, 'd in Locals');
  await waitText(VARS, /ch = 122 'z' flag = true arr = \[3\] sp = &dyn values::Speak \{pointer: 0x[0-9a-f]+, vtable: 0x[0-9a-f]+ <<values::Dog as values::Speak>::\{vtable\}>\}/,
    'Rust values in Locals');
  await expand(VARS, /^arr = /);
  await waitText(VARS, /arr = \[3\] \[0\] = 10 \[1\] = 20 \[2\] = 30 /, 'the elements of arr');
  // An enum's active variant, in the Watch pane.
  await page.locator(`${WATCH} .pane-header`).hover();
  await page.locator(`${WATCH} .pane-header .action-label[aria-label^="Add Expression"]`).click();
  await page.locator(`${WATCH} .monaco-inputbox input, ${WATCH} .monaco-inputbox textarea`).first().waitFor({ timeout: T });
  await page.keyboard.type('c');
  await page.keyboard.press('Enter');
  await waitText(WATCH, /c = values::Shape::Circle\{r: 1\.5\}/, 'the enum c in Watch');
  await shot('10a-rust-breakpoint.png');
  await toolbar('Step Over');
  await waitStoppedAt('values.rs', line + 1, /Paused on step/);
  await waitText(STACK, new RegExp(`Paused on step values::main\\s+values\\.rs\\s+${line + 1}:\\d+`), 'Call Stack after the step');
  await shot('10b-rust-step.png');
  await page.keyboard.press('Shift+F5');
  await debugStopped();
}

async function step11() {
  await openFolder(ASCWS, 'shapes.ts');
  if (fs.existsSync(path.join(ASCWS, '.vscode'))) throw new Error('the AssemblyScript folder has a .vscode folder');
  const ts = path.join(ASCWS, 'shapes.ts');
  const line = lineWith(ts, 'total += i;');
  const call = lineWith(ts, 'const s = sum(5);');
  await openFile('shapes.ts');
  await setBreakpointByClick(line);
  await focusEditor();
  await page.keyboard.press('F5');
  log('step 11: VS Code', (await pickDebuggerIfAsked('wdb (WebAssembly)')) ? 'asked which debugger: wdb' : 'started wdb');
  await waitStoppedAt('shapes.ts', line, /Paused on breakpoint/);
  await waitText(STACK, new RegExp(`shapes/sum\\s+shapes\\.ts\\s+${line}:\\d+\\s+shapes/main\\s+shapes\\.ts\\s+${call}:\\d+`),
    'the .ts frames in the Call Stack');
  await waitText(VARS, /Locals\s+(i = 0\s+total = 0|total = 0\s+i = 0)\b/, 'the locals i and total');
  await expand(VARS, /^Arguments$/);
  await waitText(VARS, /n = 5\b/, 'the argument n');
  await shot('11a-asc-breakpoint.png');
  await toolbar('Step Over');
  await waitStoppedAt('shapes.ts', line - 1, /Paused on step/);
  await toolbar('Continue');
  await waitStoppedAt('shapes.ts', line, /Paused on breakpoint/);
  await waitText(VARS, /Locals\s+(i = 1\s+total = 0|total = 0\s+i = 1)\b/, 'the locals on the second iteration');
  await shot('11b-asc-second-iteration.png');
  await page.keyboard.press('Shift+F5');
  await debugStopped();
}

async function step12() {
  await openFile('history.c');
  await startWith('replay history');
  await waitStoppedAt('history.c', 24, /CALL STACK integer divide by zero/i);
  // supportsStepBack came with the stub: VS Code shows Step Back and Reverse;
  // the trap is in the middle of line 24: back to its start first
  await toolbar('Step Back');
  await waitStoppedAt('history.c', 24, /Paused on step/i);
  await toolbar('Step Back');
  await waitStoppedAt('history.c', 23, /Paused on step/i);
  await expand(VARS, /^Locals$/);
  await waitText(VARS, /acc = 6\s+last = 9/, 'the locals one line back');
  await toolbar('Step Back');
  await waitStoppedAt('history.c', 22, /Paused on step/i);
  await toolbar('Step Back');
  await waitStoppedAt('history.c', 21, /Paused on step/i);
  await command('Focus on Debug Console View');
  await repl('print g');
  await waitText(REPL, /print g\s+6\b/, 'g before `g = last` ran: the loop\'s value');
  await shot('12-reverse.png');
  await toolbar('Reverse');
  await waitText(STACK, /No more reverse-execution history/i, 'the start of the history');
  await toolbar('Continue');
  await waitStoppedAt('history.c', 24, /CALL STACK integer divide by zero/i);
  await page.keyboard.press('Shift+F5');
  await debugStopped();
}

const STEPS = [
  ['1', 'breakpoint, call stack, variables', step1],
  ['2', 'step into/over/out, watch, hover, debug console', step2],
  ['3', 'conditional breakpoint and logpoint', step3],
  ['4', 'trap as an exception', step4],
  ['5', 'attach to wdb-run --gdb-listen, pause, continue, disconnect', step5],
  ['6', 'core file', step6],
  ['7', 'disassembly view and memory', step7],
  ['8', 'new user: F5 without launch.json; a .c without .wasm', step8],
  ['9', 'a device in QEMU over its serial line: attach, pause, continue, disconnect', step9],
  ['10', 'Rust: F5 on a .rs next to its .wasm, gutter breakpoint, Rust values, step', step10],
  ['11', 'AssemblyScript: F5 on a .ts next to its .wasm, gutter breakpoint, locals', step11],
  ['12', 'reverse: a replayed trap, Step Back and Reverse', step12],
];
// Steps that open a folder of their own (the others share the workspace).
const OWN_FOLDER = new Set(['8', '10', '11']);

// --------------------------------------------------------------- main
async function main() {
  fs.rmSync(RUN, { recursive: true, force: true });
  fs.rmSync(SHOTS, { recursive: true, force: true });
  userData = path.join(RUN, 'user-data');
  extDir = path.join(RUN, 'extensions');
  const xdg = path.join(RUN, 'xdg');
  for (const d of [userData, extDir, SHOTS, path.join(userData, 'User'), path.join(userData, 'Machine')]) fs.mkdirSync(d, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'workbench.enableExperiments': false,
    'workbench.tips.enabled': false,
    'remote.autoForwardPorts': false,
    'debug.console.closeOnEnd': false,
    'debug.openDebug': 'openOnDebugBreak',
    'editor.hover.delay': 100,
    'window.restoreWindows': 'none',
    'workbench.editor.restoreViewState': false,
    // the workspaces live inside the build dir, inside a git checkout: no
    // "open the repository?" notification (step 8 counts notifications)
    'git.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
  };
  fs.writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify(settings, null, 2));
  // wdb.path is a machine setting: in code-server (a remote window) those
  // are read from the Machine settings, not the User ones.
  fs.writeFileSync(path.join(userData, 'Machine/settings.json'), JSON.stringify({ 'wdb.path': WDB }, null, 2));

  // The workspace: launch.json with this run's attach port and core file.
  spinPort = await freePort();
  const core = path.join(WS, 'traps.core');
  fs.rmSync(core, { force: true });
  const r = spawnSync(WDB_RUN, [`--core-on-trap=${core}`, path.join(WS, 'traps.wasm'), 'div'], { encoding: 'utf8' });
  if (r.status !== 134 || !fs.existsSync(core)) throw new Error(`wdb-run --core-on-trap: status ${r.status}, ${r.stderr}`);
  // step 12: the run recorded as CI would (WDB_RECORD), trapping
  const trace = path.join(WS, 'history.trace');
  fs.rmSync(trace, { force: true });
  const rec = spawnSync(WDB_RUN, [path.join(WS, 'history.wasm'), 'a', 'b'],
    { encoding: 'utf8', env: { ...process.env, WDB_RECORD: trace } });
  if (rec.status !== 134 || !fs.existsSync(trace)) throw new Error(`WDB_RECORD: status ${rec.status}, ${rec.stderr}`);
  fs.mkdirSync(path.join(WS, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(WS, '.vscode/launch.json'), JSON.stringify({
    version: '0.2.0',
    configurations: [
      { type: 'wdb', request: 'launch', name: 'inventory', program: '${workspaceFolder}/inventory.wasm' },
      { type: 'wdb', request: 'launch', name: 'traps div', program: '${workspaceFolder}/traps.wasm', args: ['div'] },
      { type: 'wdb', request: 'attach', name: 'attach spin', host: '127.0.0.1', port: spinPort, program: '${workspaceFolder}/spin.wasm' },
      { type: 'wdb', request: 'attach', name: 'attach device', serialPort: DEVICE_TTY(), baudRate: 115200, program: '${workspaceFolder}/spin.wasm' },
      { type: 'wdb', request: 'launch', name: 'core traps', program: '${workspaceFolder}/traps.wasm', coreFile: '${workspaceFolder}/traps.core' },
      { type: 'wdb', request: 'launch', name: 'replay history', program: '${workspaceFolder}/history.wasm', replay: '${workspaceFolder}/history.trace' },
    ],
  }, null, 2));
  fs.rmSync(path.join(NEWUSER, '.vscode'), { recursive: true, force: true });
  fs.rmSync(path.join(NOWASM, '.vscode'), { recursive: true, force: true });

  xdgEnv = { ...process.env, XDG_CONFIG_HOME: path.join(xdg, 'config'), XDG_DATA_HOME: path.join(xdg, 'data') };
  const csArgs = ['--user-data-dir', userData, '--extensions-dir', extDir];
  log('install', VSIX);
  execFileSync(CS_BIN, [...csArgs, '--install-extension', VSIX], { env: xdgEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const listed = execFileSync(CS_BIN, [...csArgs, '--list-extensions', '--show-versions'], { env: xdgEnv }).toString();
  if (!/^wdb\.wdb-vscode@\d/m.test(listed)) throw new Error(`the extension is not listed after --install-extension:\n${listed}`);
  log('installed:', listed.split('\n').filter((l) => /@/.test(l)).join(', '));

  const port = await freePort();
  const csLog = fs.openSync(path.join(RUN, 'code-server.log'), 'w');
  server = spawn(CS_BIN, [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened', ...csArgs,
  ], { env: xdgEnv, stdio: ['ignore', csLog, csLog], detached: true });
  server.on('exit', () => { serverExited = true; });
  base = `http://127.0.0.1:${port}`;
  await until('code-server /healthz', async () => {
    if (serverExited) throw new Error('code-server exited; see ' + path.join(RUN, 'code-server.log'));
    return (await httpStatus(`${base}/healthz`)) === 200;
  }, 60000);
  log('code-server on', base);

  const profile = path.join(RUN, 'chromium');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
    env: { ...process.env, XDG_CONFIG_HOME: path.join(xdg, 'chromium-config') },
  });
  page = context.pages()[0] || await context.newPage();
  const consoleLog = fs.createWriteStream(path.join(RUN, 'browser-console.log'));
  page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.message}\n`));

  const failures = [];
  let inWorkspace = false;
  let ran = 0;
  try {
    for (const [id, title, fn] of STEPS) {
      if (ONLY.length && !ONLY.includes(id)) continue;
      ran++;
      const ts = Date.now();
      log(`step ${id}: ${title}`);
      try {
        if (!OWN_FOLDER.has(id)) {
          if (!inWorkspace) { await openFolder(WS, 'inventory.c'); inWorkspace = true; }
          await reset();
        } else inWorkspace = false;
        await fn();
        log(`step ${id} ok (${((Date.now() - ts) / 1000).toFixed(1)}s)`);
      } catch (e) {
        // What the window says (an error dialog, notifications) explains most failures.
        const said = (await page.locator('.monaco-dialog-box .dialog-message-container, .notifications-toasts .notification-list-item-message')
          .allInnerTexts().catch(() => [])).map((t) => t.trim()).filter(Boolean);
        const extra = said.filter((t) => !e.message.includes(t));
        const msg = e.message + (extra.length ? `\n    the window shows: ${extra.map((t) => JSON.stringify(t)).join('; ')}` : '');
        failures.push(`step ${id} (${title}): ${msg}`);
        log(`step ${id} FAILED: ${msg}`);
        await shot(`FAILED-step${id}.png`).catch(() => {});
        inWorkspace = false; // reload the window for the next step
      }
    }
  } finally {
    await context.close().catch(() => {});
    if (spinProc && spinProc.exitCode === null) spinProc.kill('SIGKILL');
  if (deviceProc && deviceProc.exitCode === null) deviceProc.kill('SIGTERM');
  if (socatProc && socatProc.exitCode === null) socatProc.kill('SIGKILL');
    if (deviceProc && deviceProc.exitCode === null) deviceProc.kill('SIGTERM');
    if (socatProc && socatProc.exitCode === null) socatProc.kill('SIGKILL');
    await stopServer();
  }
  if (!ran) failures.push(`no step matches WDB_VSCODE_ONLY=${ONLY.join(',')}`);
  if (failures.length) {
    console.log(`\nVS Code e2e FAILED (${failures.length} step(s)); screenshots in ${SHOTS}, logs in ${RUN}:`);
    for (const f of failures) console.log(`- ${f}`);
    process.exitCode = 1;
    return;
  }
  if (process.env.WDB_VSCODE_UPDATE_SCREENSHOTS === '1' && DOCS && !ONLY.length) {
    fs.mkdirSync(DOCS, { recursive: true });
    for (const [from, to] of README_SHOTS) {
      fs.copyFileSync(path.join(SHOTS, from), path.join(DOCS, to));
      log('updated', path.join(DOCS, to));
    }
  }
  console.log(`VS Code e2e OK: ${ran} steps in ${((Date.now() - t0) / 1000).toFixed(1)}s; screenshots in ${SHOTS}`);
}

main().catch(async (e) => {
  console.error('VS Code e2e FAILED:', e);
  process.exitCode = 1;
  if (spinProc && spinProc.exitCode === null) spinProc.kill('SIGKILL');
  if (deviceProc && deviceProc.exitCode === null) deviceProc.kill('SIGTERM');
  if (socatProc && socatProc.exitCode === null) socatProc.kill('SIGKILL');
  await stopServer();
});
