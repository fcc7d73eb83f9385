'use strict';
// Whole sessions on tests/wdb/programs/inventory.c (-O0, DWARF 5) and
// tests/lldb/programs/spin.c through `wdb --dap`.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const L = require('./lib.js');

const SPIN = path.join(L.WASM_DIR, 'spin.wasm');
const SPIN_C = path.join(L.SRC_DIR, 'tests/lldb/programs/spin.c');

test('line breakpoint: stack, scopes, nested variables, evaluate, memory, disassemble', async () => {
  const dc = await L.startClient();
  try {
    const out = L.collectOutput(dc);
    const init = await L.launch(dc, { program: L.INVENTORY });
    assert.equal(init.body.supportsConfigurationDoneRequest, true);
    assert.equal(init.body.supportsDataBreakpoints, true);
    assert.ok(init.body.exceptionBreakpointFilters.some((f) => f.filter === 'div_by_zero'));
    const set = await dc.setBreakpointsRequest({ source: { path: L.INVENTORY_C },
                                                 breakpoints: [{ line: 31 }] });
    const bp = set.body.breakpoints[0];
    assert.equal(bp.verified, true);
    assert.equal(bp.line, 31);
    const stop = await L.run(dc);
    assert.equal(stop.body.reason, 'breakpoint');
    assert.deepEqual(stop.body.hitBreakpointIds, [bp.id]);

    const fr = await L.frames(dc);
    assert.equal(fr[0].name, 'value');
    assert.equal(fr[0].source.path, L.INVENTORY_C);
    assert.equal(fr[0].line, 31);
    assert.match(fr[0].instructionPointerReference, /^0x[0-9a-f]+$/);
    assert.equal(fr[1].name, 'main');
    assert.equal(fr[1].source.path, L.INVENTORY_C);
    assert.equal(fr[1].line, 45);
    const page = await dc.stackTraceRequest({ threadId: 1, startFrame: 1, levels: 1 });
    assert.equal(page.body.stackFrames.length, 1);
    assert.equal(page.body.stackFrames[0].name, 'main');
    assert.equal(page.body.totalFrames, fr.length);

    // a pointer argument dereferences into the struct, which expands
    const args = await L.scopeVars(dc, fr[0].id, 'Arguments');
    assert.equal(args.it.type, 'const item *');
    assert.ok(args.it.variablesReference > 0);
    const deref = await L.vars(dc, args.it.variablesReference);
    assert.deepEqual(Object.keys(deref), ['*it']);
    const item = await L.vars(dc, deref['*it'].variablesReference);
    assert.match(item.name.value, /^"pear/);
    assert.equal(item.qty.value, '7');
    assert.equal(item.price.value, '1.25');
    assert.equal(item.tag.value, 'BLUE');
    assert.equal(item.flag.value, '2');
    assert.equal(item.qty.evaluateName, '(*it).qty');
    const nextp = await L.vars(dc, item.next.variablesReference);
    assert.deepEqual(Object.keys(nextp), ['*next']);
    assert.equal(nextp['*next'].evaluateName, '*((*it).next)');
    const apple = await L.vars(dc, nextp['*next'].variablesReference);
    assert.match(apple.name.value, /^"apple/);

    // main's locals: a struct expands to members, an array to elements
    const locals = await L.scopeVars(dc, fr[1].id, 'Locals');
    const a = await L.vars(dc, locals.a.variablesReference);
    assert.equal(a.qty.value, '3');
    assert.equal(a.tag.value, 'GREEN');
    const sq = await L.vars(dc, locals.squares.variablesReference);
    assert.deepEqual(Object.keys(sq), ['[0]', '[1]', '[2]', '[3]', '[4]', '[5]']);
    assert.deepEqual(Object.values(sq).map((v) => v.value), ['0', '1', '4', '9', '16', '25']);
    const hex = await dc.variablesRequest({ variablesReference: locals.squares.variablesReference,
                                            format: { hex: true } });
    assert.equal(hex.body.variables[5].value, '0x19');
    const globals = await L.scopeVars(dc, fr[1].id, 'Globals');
    assert.equal(globals.g_total.value, '0');
    const grid = await L.vars(dc, globals.g_grid.variablesReference);
    const row1 = await L.vars(dc, grid['[1]'].variablesReference);
    assert.equal(row1['[2]'].value, '6');

    // evaluate: repl, hover, gdb's print with a format
    let ev = await dc.evaluateRequest({ expression: 'b.qty * 2', frameId: fr[1].id, context: 'repl' });
    assert.equal(ev.body.result, '14');
    ev = await dc.evaluateRequest({ expression: 'p/x squares[5]', frameId: fr[1].id, context: 'repl' });
    assert.equal(ev.body.result, '0x19');
    ev = await dc.evaluateRequest({ expression: 'msg', frameId: fr[1].id, context: 'hover' });
    assert.match(ev.body.result, /"hello"/);
    ev = await dc.evaluateRequest({ expression: 'a', frameId: fr[1].id, context: 'repl' });
    assert.match(ev.body.result, /qty = 3/);
    assert.ok(ev.body.variablesReference > 0);
    await assert.rejects(dc.evaluateRequest({ expression: 'nosuch', frameId: fr[1].id, context: 'watch' }),
                         /No symbol "nosuch" in current context/);
    // wdb's gdb-style commands in the debug console, in the selected frame
    ev = await dc.evaluateRequest({ expression: 'bt', frameId: fr[0].id, context: 'repl' });
    assert.match(ev.body.result, /^#0  value \(it=0x[0-9a-f]+\) at .*inventory\.c:31$/m);
    assert.match(ev.body.result, /^#1  0x[0-9a-f]+ in main \(\) at .*inventory\.c:45$/m);
    ev = await dc.evaluateRequest({ expression: 'info locals', frameId: fr[1].id, context: 'repl' });
    assert.match(ev.body.result, /^squares = \{0, 1, 4, 9, 16, 25\}$/m);
    ev = await dc.evaluateRequest({ expression: '-exec x/3dw squares', frameId: fr[1].id, context: 'repl' });
    assert.match(ev.body.result, /^0x[0-9a-f]+:\t0\t1\t4$/m);
    ev = await dc.evaluateRequest({ expression: 'ptype it', frameId: fr[0].id, context: 'repl' });
    assert.match(ev.body.result, /^type = const struct item \{$/m);
    ev = await dc.evaluateRequest({ expression: 'kill', frameId: fr[0].id, context: 'repl' });
    assert.match(ev.body.result, /not available in the debug console/);

    // setVariable through the evaluator, read back
    const set2 = await dc.setVariableRequest({ variablesReference: deref['*it'].variablesReference,
                                              name: 'qty', value: '8' });
    assert.equal(set2.body.value, '8');
    ev = await dc.evaluateRequest({ expression: 'b.qty', frameId: fr[1].id, context: 'watch' });
    assert.equal(ev.body.result, '8');
    await dc.setVariableRequest({ variablesReference: deref['*it'].variablesReference,
                                  name: 'qty', value: '7' });

    // readMemory at &b: "pear" then NULs
    ev = await dc.evaluateRequest({ expression: '&b', frameId: fr[1].id, context: 'watch' });
    const mem = await dc.customRequest('readMemory', { memoryReference: ev.body.memoryReference,
                                                       count: 6 });
    assert.equal(Buffer.from(mem.body.data, 'base64').toString('latin1'), 'pear\0\0');
    const w = await dc.customRequest('writeMemory', { memoryReference: ev.body.memoryReference,
                                                      data: Buffer.from('Pe').toString('base64') });
    assert.equal(w.body.bytesWritten, 2);
    ev = await dc.evaluateRequest({ expression: 'b.name[0]', frameId: fr[1].id, context: 'repl' });
    assert.equal(ev.body.result, "80 'P'");
    // the sandbox: nothing outside the program's linear memory is read or
    // written through DAP's memory requests
    const high = await dc.customRequest('readMemory', { memoryReference: '0xfffffff0', count: 64 });
    assert.ok(!high.body.data || Buffer.from(high.body.data, 'base64').length === 0,
              JSON.stringify(high.body));
    assert.ok((high.body.unreadableBytes || 0) > 0, JSON.stringify(high.body));
    await assert.rejects(dc.customRequest('writeMemory', { memoryReference: '0xfffffffe',
                                                           data: Buffer.from('abcd').toString('base64') }));
    await assert.rejects(dc.customRequest('writeMemory', { memoryReference: '0x100000000',
                                                           data: Buffer.from('ab').toString('base64') }));

    // disassemble around the pc
    const dis = await dc.disassembleRequest({ memoryReference: fr[0].instructionPointerReference,
                                              instructionOffset: -2, instructionCount: 6,
                                              resolveSymbols: true });
    const ins = dis.body.instructions;
    assert.equal(ins.length, 6);
    assert.equal(ins[2].address, fr[0].instructionPointerReference);
    assert.equal(ins[2].symbol, 'value');
    assert.ok(ins.some((i) => i.line === 31), JSON.stringify(ins));
    assert.ok(ins.every((i) => typeof i.instruction === 'string' && i.instruction.length));

    const mods = await dc.modulesRequest({});
    assert.equal(mods.body.modules[0].name, 'inventory.wasm');
    const srcs = await dc.customRequest('loadedSources', {});
    assert.ok(srcs.body.sources.some((s) => s.path === L.INVENTORY_C));
    const th = await dc.threadsRequest();
    assert.equal(th.body.threads.length, 1);

    // the rest of the run: output, exit code
    await dc.setBreakpointsRequest({ source: { path: L.INVENTORY_C }, breakpoints: [] });
    const exited = dc.waitForEvent('exited');
    const terminated = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exited).body.exitCode, 0);
    await terminated;
    assert.equal(out.stdout, 'stock 10 10.25 120 25 hello\n');
    await assert.rejects(dc.stackTraceRequest({ threadId: 1 }), /not being run/);
  } finally {
    await dc.stop();
  }
});

test('stepping: in, over, out, by instruction; function breakpoint', async () => {
  const dc = await L.startClient();
  try {
    await L.launch(dc, { program: L.INVENTORY });
    const fb = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'fact' }] });
    assert.equal(fb.body.breakpoints[0].verified, true);
    await dc.setBreakpointsRequest({ source: { path: L.INVENTORY_C }, breakpoints: [{ line: 46 }] });
    let stop = await L.run(dc);
    assert.equal(stop.body.reason, 'breakpoint');
    assert.equal((await L.frames(dc))[0].line, 46);
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });

    stop = await L.stepAndWait(dc, dc.stepInRequest);
    assert.equal(stop.body.reason, 'step');
    let fr = await L.frames(dc);
    assert.equal(fr[0].name, 'fact');
    assert.equal(fr[0].line, 24);
    assert.equal((await L.scopeVars(dc, fr[0].id, 'Arguments')).n.value, '5');

    stop = await L.stepAndWait(dc, dc.nextRequest);
    fr = await L.frames(dc);
    assert.equal(fr[0].line, 26);

    stop = await L.stepAndWait(dc, dc.stepOutRequest);
    fr = await L.frames(dc);
    assert.equal(fr[0].name, 'main');
    assert.equal(fr[0].line, 46);
    // what fact returned, first in Locals until the program runs again
    const back = await dc.scopesRequest({ frameId: fr[0].id });
    const locals0 = (await dc.variablesRequest({ variablesReference: back.body.scopes[0].variablesReference }))
      .body.variables;
    assert.equal(locals0[0].name, 'Return value');
    assert.equal(locals0[0].value, '120');

    stop = await L.stepAndWait(dc, dc.nextRequest);
    fr = await L.frames(dc);
    assert.equal(fr[0].line, 47);
    const f = await L.scopeVars(dc, fr[0].id, 'Locals');
    assert.equal(f.f.value, '120');
    assert.equal(f['Return value'], undefined);

    const pc = fr[0].instructionPointerReference;
    stop = await L.stepAndWait(dc, dc.nextRequest, { granularity: 'instruction' });
    fr = await L.frames(dc);
    assert.notEqual(fr[0].instructionPointerReference, pc);
    assert.equal(fr[0].name, 'main');
    // stepIn by instruction until the call to printf is entered (one
    // instruction a request: the pc moves every time), then stepOut
    let steps = 0;
    while (fr[0].name === 'main' && steps < 200) {
      const before = fr[0].instructionPointerReference;
      stop = await L.stepAndWait(dc, dc.stepInRequest, { granularity: 'instruction' });
      assert.equal(stop.body.reason, 'step');
      fr = await L.frames(dc);
      assert.notEqual(fr[0].instructionPointerReference, before);
      steps++;
    }
    assert.notEqual(fr[0].name, 'main', `still in main after ${steps} instruction steps`);
    assert.equal(fr[1].name, 'main');
    stop = await L.stepAndWait(dc, dc.stepOutRequest, { granularity: 'instruction' });
    fr = await L.frames(dc);
    assert.equal(fr[0].name, 'main');
    assert.equal(fr[0].line, 47);
  } finally {
    await dc.stop();
  }
});

test('run control typed in the debug console: a continued event, then the stop', async () => {
  const dc = await L.startClient();
  try {
    await L.launch(dc, { program: L.INVENTORY });
    await dc.setBreakpointsRequest({ source: { path: L.INVENTORY_C }, breakpoints: [{ line: 46 }] });
    await L.run(dc);
    let fr = await L.frames(dc);
    // repl(EXPR): the evaluate answer, the continued event, the stop (or the end)
    const repl = async (expression, ends = 'stopped') => {
      const events = [];
      for (const e of ['continued', 'stopped', 'exited']) dc.once(e, (m) => events.push(m.event));
      const done = dc.waitForEvent(ends);
      const ev = await dc.evaluateRequest({ expression, frameId: fr[0].id, context: 'repl' });
      assert.equal(ev.body.result, '');
      const last = await done;
      assert.deepEqual(events.slice(0, 2), ['continued', ends], `${expression}: events in order`);
      fr = ends === 'stopped' ? await L.frames(dc) : [];
      return last;
    };
    let stop = await repl('s');
    assert.equal(stop.body.reason, 'step');
    assert.equal(fr[0].name, 'fact');
    assert.equal(fr[0].line, 24);
    // `n` is fact's parameter here: an expression; `-exec n` is `next`
    let ev = await dc.evaluateRequest({ expression: 'n', frameId: fr[0].id, context: 'repl' });
    assert.equal(ev.body.result, '5');
    await repl('-exec n');
    assert.equal(fr[0].line, 26);
    await repl('fin');
    assert.equal(fr[0].name, 'main');
    assert.equal(fr[0].line, 46);
    await repl('advance 48');
    assert.equal(fr[0].line, 48);
    assert.equal((await L.scopeVars(dc, fr[0].id, 'Locals')).f.value, '120');
    // what the console cannot run as written is refused with the reason
    await assert.rejects(dc.evaluateRequest({ expression: 'next 3', frameId: fr[0].id, context: 'repl' }),
                         /without a count or argument/);
    await assert.rejects(dc.evaluateRequest({ expression: 'advance', frameId: fr[0].id, context: 'repl' }),
                         /Argument required/);
    await assert.rejects(dc.evaluateRequest({ expression: 'finish', frameId: fr[fr.length - 1].id,
                                              context: 'repl' }), /outermost frame/);
    const exited = await repl('c', 'exited');
    assert.equal(exited.body.exitCode, 0);
  } finally {
    await dc.stop();
  }
});

test('launch args, env and runtimeArgs; instruction breakpoints; a frame without DWARF', async () => {
  const dc = await L.startClient();
  try {
    const out = L.collectOutput(dc);
    let moduleEvent;
    dc.once('module', (e) => { moduleEvent = e; });
    await L.launch(dc, { program: path.join(L.WASM_DIR, 'argv_env.wasm'), args: ['one', 'two words'],
                         env: { WDB_GREETING: 'hi there' }, runtimeArgs: ['--env=WDB_NUMBER=41'] });
    assert.equal(moduleEvent.body.reason, 'new');
    assert.equal(moduleEvent.body.module.name, 'argv_env.wasm');
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'main' }] });
    await L.run(dc);
    let fr = await L.frames(dc);
    assert.equal(fr[0].name, 'main');
    // an instruction breakpoint three instructions on, from the disassembly
    const dis = await dc.disassembleRequest({ memoryReference: fr[0].instructionPointerReference,
                                              instructionCount: 4 });
    const at = dis.body.instructions[3].address;
    const ib = await dc.customRequest('setInstructionBreakpoints',
                                      { breakpoints: [{ instructionReference: at }] });
    assert.equal(ib.body.breakpoints[0].verified, true);
    assert.equal(ib.body.breakpoints[0].instructionReference, at);
    const bad = await dc.customRequest('setInstructionBreakpoints', {
      breakpoints: [{ instructionReference: at }, { instructionReference: 'main' }] });
    assert.equal(bad.body.breakpoints[1].verified, false);
    assert.match(bad.body.breakpoints[1].message, /code offset/);
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const stop = await L.stepAndWait(dc, dc.continueRequest);
    assert.equal(stop.body.reason, 'instruction breakpoint');
    assert.deepEqual(stop.body.hitBreakpointIds, [bad.body.breakpoints[0].id]);
    fr = await L.frames(dc);
    assert.equal(fr[0].instructionPointerReference, at);
    // __main_void (wasi-libc, no DWARF for it): Wasm locals and the operand stack
    const raw = fr.find((f) => f.name === '__main_void');
    assert.ok(raw && !raw.source, JSON.stringify(fr.map((f) => f.name)));
    const sc = await dc.scopesRequest({ frameId: raw.id });
    assert.deepEqual(sc.body.scopes.map((s) => s.name), ['Wasm locals', 'Wasm operand stack']);
    const wl = await L.vars(dc, sc.body.scopes[0].variablesReference);
    assert.ok(Object.keys(wl).length > 0 && Object.keys(wl).every((k) => /^local \d+$/.test(k)),
              JSON.stringify(wl));
    assert.ok(Object.values(wl).every((v) => /^-?\d+ \(0x[0-9a-f]+\)$/.test(v.value)), JSON.stringify(wl));
    const os = await L.vars(dc, sc.body.scopes[1].variablesReference);
    assert.ok(Object.entries(os).every(([k, v]) => /^\[\d+\]$/.test(k) && /^\d+ \(0x[0-9a-f]+\)$/.test(v.value)),
              JSON.stringify(os));
    await dc.customRequest('setInstructionBreakpoints', { breakpoints: [] });
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exited).body.exitCode, 0);
    await L.until(() => /after unsetenv/.test(out.stdout), 'the program output');
    assert.match(out.stdout, /^argc=3$/m);
    assert.match(out.stdout, /^argv\[2\]=\[two words\] len=9$/m);
    assert.match(out.stdout, /^getenv\(WDB_GREETING\)=\[hi there\]$/m);
    assert.match(out.stdout, /^number\+1=42$/m);
  } finally {
    await dc.stop();
  }
});

test('function breakpoint stop reason, conditional and hit-count breakpoints', async () => {
  const dc = await L.startClient();
  try {
    await L.launch(dc, { program: L.INVENTORY });
    const set = await dc.setBreakpointsRequest({ source: { path: L.INVENTORY_C },
                                                 breakpoints: [{ line: 24, condition: 'n == 2' }] });
    assert.equal(set.body.breakpoints[0].verified, true);
    let stop = await L.run(dc);
    assert.equal(stop.body.reason, 'breakpoint');
    let fr = await L.frames(dc);
    let ev = await dc.evaluateRequest({ expression: 'n', frameId: fr[0].id, context: 'watch' });
    assert.equal(ev.body.result, '2');
    assert.equal(fr.filter((x) => x.name === 'fact').length, 4);

    // hit condition ">= 2" from here on: hits count from the change
    await dc.setBreakpointsRequest({ source: { path: L.INVENTORY_C },
                                     breakpoints: [{ line: 24, hitCondition: 'x' }] })
      .then((r) => assert.equal(r.body.breakpoints[0].verified, false));
    await dc.setBreakpointsRequest({ source: { path: L.INVENTORY_C }, breakpoints: [] });
    const fb = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'value' }] });
    assert.equal(fb.body.breakpoints[0].verified, true);
    void fb;
  } finally {
    await dc.stop();
  }
  const dc2 = await L.startClient();
  try {
    await L.launch(dc2, { program: L.INVENTORY });
    // gdb's ignore count: ">= 3" stops at the third call: fact(3)
    await dc2.setBreakpointsRequest({ source: { path: L.INVENTORY_C },
                                      breakpoints: [{ line: 24, hitCondition: '>= 3' }] });
    await L.run(dc2);
    let fr = await L.frames(dc2);
    let ev = await dc2.evaluateRequest({ expression: 'n', frameId: fr[0].id, context: 'watch' });
    assert.equal(ev.body.result, '3');
    // a plain number is an ignore count: "1" skips one hit
    await dc2.setBreakpointsRequest({ source: { path: L.INVENTORY_C },
                                      breakpoints: [{ line: 24, hitCondition: '1' }] });
    await L.stepAndWait(dc2, dc2.continueRequest);
    fr = await L.frames(dc2);
    ev = await dc2.evaluateRequest({ expression: 'n', frameId: fr[0].id, context: 'watch' });
    assert.equal(ev.body.result, '1');
    await dc2.setBreakpointsRequest({ source: { path: L.INVENTORY_C }, breakpoints: [] });
    await dc2.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'value' }] });
    // the next value() call has already happened: none left; fact is done
    const exited = dc2.waitForEvent('exited');
    await dc2.continueRequest({ threadId: 1 });
    assert.equal((await exited).body.exitCode, 0);
  } finally {
    await dc2.stop();
  }
  const dc3 = await L.startClient();
  try {
    await L.launch(dc3, { program: L.INVENTORY });
    await dc3.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'value' }] });
    const stop = await L.run(dc3);
    assert.equal(stop.body.reason, 'function breakpoint');
    assert.equal((await L.frames(dc3))[0].name, 'value');
  } finally {
    await dc3.stop();
  }
});

test('logpoint prints through an output event and does not stop', async () => {
  const dc = await L.startClient();
  try {
    const out = L.collectOutput(dc);
    await L.launch(dc, { program: L.INVENTORY });
    const set = await dc.setBreakpointsRequest({ source: { path: L.INVENTORY_C },
      breakpoints: [{ line: 32, logMessage: 'value of {it->name}: qty={it->qty}' }] });
    assert.equal(set.body.breakpoints[0].verified, true);
    const exited = dc.waitForEvent('exited');
    await dc.configurationDoneRequest();
    assert.equal((await exited).body.exitCode, 0);
    await L.until(() => out.stdout.includes('hello'), 'program output');
    assert.match(out.console, /value of "pear[^\n]*: qty=7\nvalue of "apple[^\n]*: qty=3\n/);
  } finally {
    await dc.stop();
  }
});

test('data breakpoint on a global stops with old and new values', async () => {
  const dc = await L.startClient();
  try {
    await L.launch(dc, { program: L.INVENTORY });
    await dc.setBreakpointsRequest({ source: { path: L.INVENTORY_C }, breakpoints: [{ line: 31 }] });
    await L.run(dc);
    const fr = await L.frames(dc);
    const info = await dc.dataBreakpointInfoRequest({ name: 'g_total', frameId: fr[0].id });
    assert.ok(info.body.dataId, JSON.stringify(info.body));
    const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId,
                                                                     accessType: 'write' }] });
    assert.equal(set.body.breakpoints[0].verified, true);
    await dc.setBreakpointsRequest({ source: { path: L.INVENTORY_C }, breakpoints: [] });
    const stop = await L.stepAndWait(dc, dc.continueRequest);
    assert.equal(stop.body.reason, 'data breakpoint');
    assert.deepEqual(stop.body.hitBreakpointIds, [set.body.breakpoints[0].id]);
    assert.match(stop.body.text, /Old value = 0\nNew value = 7/);
    assert.equal((await L.frames(dc))[0].name, 'value');
    // a local of the array: also watchable through its variables reference
    const noInfo = await dc.dataBreakpointInfoRequest({ name: 'nosuch', frameId: fr[0].id });
    assert.equal(noInfo.body.dataId, null);
  } finally {
    await dc.stop();
  }
});

test('stop on entry, pause a running program, breakpoints set while it runs', async () => {
  const dc = await L.startClient();
  try {
    const out = L.collectOutput(dc);
    await L.launch(dc, { program: SPIN, stopOnEntry: true });
    const entry = await L.run(dc);
    assert.equal(entry.body.reason, 'entry');
    await dc.continueRequest({ threadId: 1 });
    await new Promise((r) => setTimeout(r, 300));
    await assert.rejects(dc.stackTraceRequest({ threadId: 1 }), /running/);
    await dc.threadsRequest(); // answered while running
    // set while running: the program is stopped, changed, and let go again
    const set = await dc.setBreakpointsRequest({ source: { path: SPIN_C }, breakpoints: [{ line: 12 }] });
    assert.equal(set.body.breakpoints[0].verified, true);
    const stop = await L.stepAndWait(dc, dc.pauseRequest);
    assert.equal(stop.body.reason, 'pause');
    const fr = await L.frames(dc);
    assert.equal(fr[0].name, 'main');
    assert.equal(fr[0].line, 11);
    await dc.evaluateRequest({ expression: 'g_stop = 1', frameId: fr[0].id, context: 'repl' });
    const bp = await L.stepAndWait(dc, dc.continueRequest);
    assert.equal(bp.body.reason, 'breakpoint');
    assert.equal((await L.frames(dc))[0].line, 12);
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exited).body.exitCode, 42);
    await L.until(() => out.stdout.includes("stopped after the debugger's request"), 'output');
  } finally {
    await dc.stop();
  }
});

test('sourceMap and sourceSearchPath map DWARF paths to local files both ways', async () => {
  const moved = path.join(L.WASM_DIR, 'moved', 'inventory.c');
  const buildTree = path.join(L.WASM_DIR, 'build-tree');
  for (const how of ['sourceMap', 'sourceSearchPath']) {
    const dc = await L.startClient();
    try {
      const args = { program: path.join(L.WASM_DIR, 'inventory.moved.wasm') };
      if (how === 'sourceMap') args.sourceMap = { [buildTree]: path.join(L.WASM_DIR, 'moved') };
      else args.sourceSearchPath = [path.join(L.WASM_DIR, 'moved')];
      await L.launch(dc, args);
      const set = await dc.setBreakpointsRequest({ source: { path: moved }, breakpoints: [{ line: 31 }] });
      assert.equal(set.body.breakpoints[0].verified, true, how);
      assert.equal(set.body.breakpoints[0].source.path, moved, how);
      await L.run(dc);
      const fr = await L.frames(dc);
      assert.equal(fr[0].source.path, moved, how);
      assert.equal(fr[0].line, 31);
      const src = await dc.sourceRequest({ source: { path: moved }, sourceReference: 0 });
      assert.match(src.body.content, /int fact\(int n\)/);
    } finally {
      await dc.stop();
    }
  }
});

test('restart runs the program again; terminate ends a running program', async () => {
  const dc = await L.startClient();
  try {
    await L.launch(dc, { program: L.INVENTORY });
    await dc.setBreakpointsRequest({ source: { path: L.INVENTORY_C }, breakpoints: [{ line: 46 }] });
    await L.run(dc);
    assert.equal((await L.frames(dc))[0].line, 46);
    const again = dc.waitForEvent('stopped');
    await dc.restartRequest({});
    assert.equal((await again).body.reason, 'breakpoint');
    const fr = await L.frames(dc);
    assert.equal(fr[0].line, 46);
    const ev = await dc.evaluateRequest({ expression: 'g_total', frameId: fr[0].id, context: 'watch' });
    assert.equal(ev.body.result, '10');
  } finally {
    await dc.stop();
  }
  const dc2 = await L.startClient();
  try {
    await L.launch(dc2, { program: SPIN });
    await dc2.configurationDoneRequest();
    await new Promise((r) => setTimeout(r, 200));
    const terminated = dc2.waitForEvent('terminated');
    await dc2.terminateRequest({});
    await terminated;
    await assert.rejects(dc2.stackTraceRequest({ threadId: 1 }), /not being run/);
  } finally {
    await dc2.stop();
  }
});
