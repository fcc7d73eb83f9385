'use strict';
// Wasm traps as DAP exceptions (tests/lldb/programs/traps.c), exception
// filters, and post-mortem debugging of a core file (wdb-run --core-on-trap).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const L = require('./lib.js');

test('a C stack that ran out: the exception says so; every frame of the recursion is there', async () => {
  const dc = await L.startClient();
  try {
    await L.launch(dc, { program: path.join(L.WASM_DIR, 'coretraps.wasm'), args: ['deep'] });
    const stop = await L.run(dc);
    assert.equal(stop.body.reason, 'exception');
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'memory_oob');
    assert.match(info.body.description,
                 /^out of bounds memory access: the C stack in linear memory ran out \(the stack pointer, global 0, is 0x[0-9a-f]{8}, below 0\)/);
    // thousands of frames (more than one qWasmCallStack reply holds): the
    // last page ends at main and _start
    const first = await dc.stackTraceRequest({ threadId: 1, startFrame: 0, levels: 20 });
    const total = first.body.totalFrames;
    assert.ok(total > 1100, `only ${total} frames`);
    const last = await dc.stackTraceRequest({ threadId: 1, startFrame: total - 5, levels: 5 });
    const names = last.body.stackFrames.map((f) => f.name);
    assert.ok(names.includes('main') && names.includes('_start'), JSON.stringify(names));
  } finally {
    await dc.stop();
  }
});

test('a trap stops as an exception with its message; the program then ends with 134', async () => {
  const dc = await L.startClient();
  try {
    const out = L.collectOutput(dc);
    await L.launch(dc, { program: L.TRAPS, args: ['div'] });
    await dc.setExceptionBreakpointsRequest({ filters: ['all'] });
    const stop = await L.run(dc);
    assert.equal(stop.body.reason, 'exception');
    assert.equal(stop.body.description, 'integer divide by zero');
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'div_by_zero');
    assert.equal(info.body.description, 'integer divide by zero');
    assert.equal(info.body.breakMode, 'always');
    assert.match(info.body.details.stackTrace, /#0 divide at .*traps\.c:12/);
    const fr = await L.frames(dc);
    assert.equal(fr[0].name, 'divide');
    assert.equal(fr[0].source.path, L.TRAPS_C);
    assert.equal(fr[0].line, 12);
    assert.equal(fr[1].line, 26);
    const args = await L.scopeVars(dc, fr[0].id, 'Arguments');
    assert.equal(args.a.value, '10');
    assert.equal(args.b.value, '0');
    await L.until(() => out.stdout === 'trap: div\n', 'the program output "trap: div"');
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exited).body.exitCode, 134);
  } finally {
    await dc.stop();
  }
});

test('a trap whose filter is off is reported as output, not as a stop', async () => {
  const dc = await L.startClient();
  try {
    const out = L.collectOutput(dc);
    await L.launch(dc, { program: L.TRAPS, args: ['div'] });
    const r = await dc.setExceptionBreakpointsRequest({ filters: ['memory_oob'] });
    assert.equal(r.body.breakpoints[0].verified, true);
    let stopped = false;
    dc.on('stopped', () => { stopped = true; });
    const exited = dc.waitForEvent('exited');
    await dc.configurationDoneRequest();
    assert.equal((await exited).body.exitCode, 134);
    assert.equal(stopped, false);
    assert.match(out.important, /Wasm trap: integer divide by zero/);
  } finally {
    await dc.stop();
  }
  const dc2 = await L.startClient();
  try {
    await L.launch(dc2, { program: L.TRAPS, args: ['oob'] });
    await dc2.setExceptionBreakpointsRequest({ filters: ['memory_oob'] });
    const stop = await L.run(dc2);
    assert.equal(stop.body.reason, 'exception');
    assert.equal(stop.body.description, 'out of bounds memory access');
    assert.equal((await L.frames(dc2))[0].name, 'store_bad');
  } finally {
    await dc2.stop();
  }
});

test('post-mortem: a core file launch stops at the trapping frame', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wdb-dap-core-'));
  const core = path.join(tmp, 'traps.core');
  const r = spawnSync(L.WDB_RUN, [`--core-on-trap=${core}`, L.TRAPS, 'div'], { encoding: 'utf8' });
  assert.equal(r.status, 134, r.stderr);
  assert.ok(fs.existsSync(core), 'wdb-run wrote no core');
  const dc = await L.startClient();
  try {
    await L.launch(dc, { program: L.TRAPS, coreFile: core });
    const stop = await L.run(dc);
    assert.equal(stop.body.reason, 'exception');
    assert.match(stop.body.description, /integer divide by zero/);
    const fr = await L.frames(dc);
    assert.equal(fr[0].name, 'divide');
    assert.equal(fr[0].line, 12);
    assert.equal(fr[1].name, 'main');
    const args = await L.scopeVars(dc, fr[0].id, 'Arguments');
    assert.equal(args.a.value, '10');
    assert.equal(args.b.value, '0');
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.match(info.body.description, /integer divide by zero/);
    await assert.rejects(dc.continueRequest({ threadId: 1 }), /core file/);
  } finally {
    await dc.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
