'use strict';
// AssemblyScript through its source map (tests/asc: asc --debug
// --sourceMap, no DWARF): breakpoints by .ts line, frames with .ts
// sources and lines, Wasm locals by their name-section names, next by
// source line, a trap as an exception with .ts frames.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const L = require('./lib.js');

const ASC_DIR = process.env.ASC_WASM_DIR;
assert.ok(ASC_DIR, 'ASC_WASM_DIR is not set: run the DAP tests through ctest -L dap');
const SHAPES_TS = path.join(ASC_DIR, 'shapes.ts');
const TRAP_TS = path.join(ASC_DIR, 'trap.ts');

test('a breakpoint on a .ts line; frames, arguments and locals; next', async () => {
  const dc = await L.startClient();
  try {
    const out = L.collectOutput(dc);
    await L.launch(dc, { program: path.join(ASC_DIR, 'shapes.wasm') });
    const set = await dc.setBreakpointsRequest({ source: { path: SHAPES_TS },
                                                 breakpoints: [{ line: 18 }] });
    const bp = set.body.breakpoints[0];
    assert.equal(bp.verified, true);
    assert.equal(bp.line, 18);
    const stop = await L.run(dc);
    assert.equal(stop.body.reason, 'breakpoint');
    const fr = await L.frames(dc);
    assert.equal(fr[0].name, 'shapes/sum');
    assert.equal(fr[0].source.path, SHAPES_TS);
    assert.equal(fr[0].line, 18);
    assert.equal(fr[1].name, 'shapes/main');
    assert.equal(fr[1].line, 30);
    const args = await L.scopeVars(dc, fr[0].id, 'Arguments');
    assert.equal(args.n.value, '5');
    assert.equal(args.n.type, 'i32');
    let locals = await L.scopeVars(dc, fr[0].id, 'Locals');
    assert.deepEqual(Object.keys(locals).sort(), ['i', 'total']);
    assert.equal(locals.i.value, '0');
    await L.stepAndWait(dc, dc.nextRequest);
    const after = await L.frames(dc);
    assert.equal(after[0].line, 17);
    await dc.setBreakpointsRequest({ source: { path: SHAPES_TS }, breakpoints: [] });
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exited).body.exitCode, 0);
    await L.until(() => out.stdout === 'sum 10 dist2 25 scaled 6.0\n', 'the program output');
  } finally {
    await dc.stop();
  }
});

test('a trap in AssemblyScript: an exception whose frames are .ts lines', async () => {
  const dc = await L.startClient();
  try {
    await L.launch(dc, { program: path.join(ASC_DIR, 'trap.wasm') });
    await dc.setExceptionBreakpointsRequest({ filters: ['all'] });
    const stop = await L.run(dc);
    assert.equal(stop.body.reason, 'exception');
    const fr = await L.frames(dc);
    const get = fr.find((f) => f.name === 'trap/get');
    const total = fr.find((f) => f.name === 'trap/total');
    assert.ok(get && total, JSON.stringify(fr.map((f) => f.name)));
    assert.equal(get.source.path, TRAP_TS);
    assert.equal(get.line, 4);
    assert.equal(total.line, 10);
    const locals = await L.scopeVars(dc, total.id, 'Locals');
    assert.equal(locals.sum.value, '6');
    assert.equal(locals.i.value, '3');
  } finally {
    await dc.stop();
  }
});
