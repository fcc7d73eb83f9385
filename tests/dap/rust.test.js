'use strict';
// Rust programs in DAP (tests/rust/programs, built by tests/rust): values
// with Rust syntax in the variables view (an enum's active variant, String,
// Vec's elements) and a panic stopping as an exception with its message.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const L = require('./lib.js');

const RUST_DIR = process.env.DAP_RUST_DIR;
const VALUES_RS = path.join(L.SRC_DIR, 'tests/rust/programs/values.rs');
const PANIC_RS = path.join(L.SRC_DIR, 'tests/rust/programs/panic.rs');

test('Rust values in the variables view', async () => {
  assert.ok(RUST_DIR, 'DAP_RUST_DIR is not set');
  const dc = await L.startClient();
  try {
    await L.launch(dc, { program: path.join(RUST_DIR, 'values.wasm') });
    const set = await dc.setBreakpointsRequest({ source: { path: VALUES_RS },
                                                 breakpoints: [{ line: 35 }] });
    assert.equal(set.body.breakpoints[0].verified, true);
    const stop = await L.run(dc);
    assert.equal(stop.body.reason, 'breakpoint');
    const fr = await L.frames(dc);
    assert.equal(fr[0].name, 'values::stop_here');
    assert.equal(fr[1].name, 'values::main');
    const loc = await L.scopeVars(dc, fr[1].id, 'Locals');
    assert.equal(loc.some.value, 'core::option::Option<i32>::Some(5)');
    assert.equal(loc.owned.value, '"world"');
    assert.equal(loc.text.value, '"hello"');
    assert.equal(loc.c.value, 'values::Shape::Circle{r: 1.5}');
    const some = await L.vars(dc, loc.some.variablesReference);
    assert.equal(some['0'].value, '5');
    const c = await L.vars(dc, loc.c.variablesReference);
    assert.equal(c.r.value, '1.5');
    const v = await L.vars(dc, loc.v.variablesReference);
    assert.deepEqual(Object.keys(v), ['[0]', '[1]', '[2]']);
    assert.deepEqual([v['[0]'].value, v['[1]'].value, v['[2]'].value], ['1', '2', '3']);
    const sl = await L.vars(dc, loc.sl.variablesReference);
    assert.deepEqual(Object.keys(sl).map((k) => sl[k].value), ['2', '3']);
    const t = await L.vars(dc, loc.t.variablesReference);
    assert.equal(t['1'].value, '-3');
    const ev = await dc.evaluateRequest({ expression: 'p.x + t.1', frameId: fr[1].id,
                                          context: 'watch' });
    assert.equal(ev.body.result, '-2');
  } finally {
    await dc.stop();
  }
});

test('a Rust panic stops as an exception with the panic message', async () => {
  assert.ok(RUST_DIR, 'DAP_RUST_DIR is not set');
  const dc = await L.startClient();
  try {
    await L.launch(dc, { program: path.join(RUST_DIR, 'panic.wasm') });
    await dc.setExceptionBreakpointsRequest({ filters: ['all'] });
    const stop = await L.run(dc);
    assert.equal(stop.body.reason, 'exception');
    const want = `panicked at 'index 7 past the end (3 items)', ${PANIC_RS}:8:9`;
    assert.equal(stop.body.description, `${want} (Wasm trap: unreachable)`);
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'unreachable');
    assert.equal(info.body.description, `${want} (Wasm trap: unreachable)`);
    const names = (await L.frames(dc)).map((f) => f.name);
    assert.ok(names.includes('panic::check') && names.includes('panic::main'),
              JSON.stringify(names));
  } finally {
    await dc.stop();
  }
});
