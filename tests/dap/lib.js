'use strict';
// Helpers shared by the DAP test files: paths from the environment (set by
// tests/dap/CMakeLists.txt) and a DebugClient over `wdb --dap`.
const assert = require('node:assert/strict');
const path = require('node:path');
const { DebugClient } = require('@vscode/debugadapter-testsupport');

function need(name) {
  const v = process.env[name];
  assert.ok(v, `${name} is not set: run the DAP tests through ctest -L dap`);
  return v;
}

const WDB = need('WDB');
const WDB_RUN = need('WDB_RUN');
const WASM_DIR = need('DAP_WASM_DIR');
const SRC_DIR = need('DAP_SRC_DIR');
const INVENTORY = path.join(WASM_DIR, 'inventory.wasm');
const INVENTORY_C = path.join(SRC_DIR, 'tests/wdb/programs/inventory.c');
const TRAPS = path.join(WASM_DIR, 'traps.wasm');
const TRAPS_C = path.join(SRC_DIR, 'tests/lldb/programs/traps.c');

async function startClient() {
  const dc = new DebugClient(WDB, '--dap', 'wdb', undefined, true);
  dc.defaultTimeout = 30000;
  await dc.start();
  return dc;
}

// initialize + launch, resolving once `initialized` came.
async function launch(dc, args) {
  const init = await dc.initializeRequest({ adapterID: 'wdb', linesStartAt1: true,
                                            columnsStartAt1: true, pathFormat: 'path' });
  const initialized = dc.waitForEvent('initialized');
  await dc.launchRequest({ runtime: WDB_RUN, ...args });
  await initialized;
  return init;
}

// configurationDone, then the first stop.
async function run(dc) {
  const stopped = dc.waitForEvent('stopped');
  await dc.configurationDoneRequest();
  return stopped;
}

async function frames(dc) {
  const r = await dc.stackTraceRequest({ threadId: 1 });
  return r.body.stackFrames;
}

async function vars(dc, ref) {
  const r = await dc.variablesRequest({ variablesReference: ref });
  const byName = {};
  for (const v of r.body.variables) byName[v.name] = v;
  return byName;
}

async function scopeVars(dc, frameId, scopeName) {
  const s = await dc.scopesRequest({ frameId });
  const scope = s.body.scopes.find((x) => x.name === scopeName);
  assert.ok(scope, `no scope ${scopeName} in ${JSON.stringify(s.body.scopes)}`);
  return vars(dc, scope.variablesReference);
}

// Collects output events (category -> text) from now on.
function collectOutput(dc) {
  const out = { stdout: '', stderr: '', console: '', important: '' };
  dc.on('output', (e) => { out[e.body.category] = (out[e.body.category] || '') + e.body.output; });
  return out;
}

// Resolves when a predicate over the collected text holds.
async function until(pred, what, ms = 20000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function stepAndWait(dc, request, args) {
  const stopped = dc.waitForEvent('stopped');
  await request.call(dc, { threadId: 1, ...args });
  return stopped;
}

module.exports = { WDB, WDB_RUN, WASM_DIR, SRC_DIR, INVENTORY, INVENTORY_C, TRAPS, TRAPS_C,
                   startClient, launch, run, frames, vars, scopeVars, collectOutput, until,
                   stepAndWait };
