'use strict';
// Reverse execution over DAP: supportsStepBack (a `capabilities` event once
// the stub answered), stepBack (line and instruction granularity) and
// reverseContinue, on a trap replayed from a trace ("replay" in the launch
// configuration, wdb --replay's). Two stubs run backward: wdb-run itself
// (its in-memory history) and tests/wdb/reverse_proxy.py over wdb-run
// (REVERSE_STUB); wdb-run --no-history does not: the requests are refused
// with gdb's words.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const L = require('./lib');

const HISTORY = path.join(L.WASM_DIR, 'history.wasm');
const HISTORY_C = path.join(L.SRC_DIR, 'tests/wdb/programs/history.c');
const STUB = process.env.REVERSE_STUB;

// A trace of history.wasm dividing by zero (argc 3), as WDB_RECORD makes in CI.
function record() {
  assert.ok(STUB, 'REVERSE_STUB is not set: run the DAP tests through ctest -L dap');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wdb-dap-reverse-'));
  const trace = path.join(dir, 'run.trace');
  let status = 0;
  try {
    execFileSync(L.WDB_RUN, [HISTORY, 'a', 'b'], { env: { ...process.env, WDB_RECORD: trace },
                                                   stdio: 'ignore' });
  } catch (e) {
    status = e.status;
  }
  assert.equal(status, 134, 'the recorded run traps');
  return trace;
}

test('wdb-run --no-history runs forward only: no supportsStepBack, stepBack is refused', async () => {
  const dc = await L.startClient();
  try {
    const caps = [];
    dc.on('capabilities', (e) => caps.push(e.body.capabilities));
    const init = await L.launch(dc, { program: HISTORY, args: ['a', 'b'],
                                      runtimeArgs: ['--no-history'] });
    assert.notEqual(init.body.supportsStepBack, true);
    const stop = await L.run(dc);
    assert.equal(stop.body.reason, 'exception');
    assert.deepEqual(caps, []);
    await assert.rejects(dc.stepBackRequest({ threadId: 1 }),
                         /Target does not support this command\./);
    await assert.rejects(dc.reverseContinueRequest({ threadId: 1 }),
                         /Target does not support this command\./);
  } finally {
    await dc.stop();
  }
});

for (const [name, runtime] of [['wdb-run', L.WDB_RUN], ['reverse_proxy.py', STUB]]) {
test(`${name}: a replayed trap, Step Back by line and instruction, Reverse to the start`,
     async () => {
  const dc = await L.startClient();
  try {
    const caps = dc.waitForEvent('capabilities');
    await L.launch(dc, { program: HISTORY, replay: record(), runtime });
    assert.equal((await caps).body.capabilities.supportsStepBack, true);
    await dc.setExceptionBreakpointsRequest({ filters: ['all'] });
    let stop = await L.run(dc);
    assert.equal(stop.body.reason, 'exception');
    let fr = await L.frames(dc);
    assert.equal(fr[0].source.path, HISTORY_C);
    assert.equal(fr[0].line, 24); /* return last / zero; */

    const trapPc = BigInt(fr[0].instructionPointerReference);
    /* the trap is in the middle of its line: back to the line's start */
    stop = await L.stepAndWait(dc, dc.stepBackRequest);
    assert.equal(stop.body.reason, 'step');
    fr = await L.frames(dc);
    assert.equal(fr[0].line, 24);
    assert.ok(BigInt(fr[0].instructionPointerReference) < trapPc);
    stop = await L.stepAndWait(dc, dc.stepBackRequest);
    fr = await L.frames(dc);
    assert.equal(fr[0].line, 23); /* volatile int zero = 0; */
    stop = await L.stepAndWait(dc, dc.stepBackRequest);
    fr = await L.frames(dc);
    assert.equal(fr[0].line, 22); /* if (argc > 1) */
    stop = await L.stepAndWait(dc, dc.stepBackRequest);
    fr = await L.frames(dc);
    assert.equal(fr[0].line, 21); /* g = last; */
    const locals = await L.scopeVars(dc, fr[0].id, 'Locals');
    assert.equal(locals.last.value, '9');
    const g = await dc.evaluateRequest({ expression: 'g', frameId: fr[0].id, context: 'watch' });
    assert.equal(g.body.result, '6'); /* not written yet: the loop's value */

    const pc0 = fr[0].instructionPointerReference;
    stop = await L.stepAndWait(dc, dc.stepBackRequest, { granularity: 'instruction' });
    fr = await L.frames(dc);
    assert.ok(BigInt(fr[0].instructionPointerReference) < BigInt(pc0),
              `one instruction back: ${fr[0].instructionPointerReference} before ${pc0}`);

    // from the middle of line 20 (its last instruction), the console's
    // reverse-next goes to the start of that line, as gdb's does
    fr = await L.frames(dc);
    assert.equal(fr[0].line, 20);
    const stopped = dc.waitForEvent('stopped');
    const ev = await dc.evaluateRequest({ expression: 'rn', context: 'repl', frameId: fr[0].id });
    assert.equal(ev.body.result, '');
    await stopped;
    fr = await L.frames(dc);
    assert.equal(fr[0].line, 20);
    assert.ok(BigInt(fr[0].instructionPointerReference) < BigInt(pc0));
    const last = await dc.evaluateRequest({ expression: 'last', frameId: fr[0].id, context: 'watch' });
    assert.equal(last.body.result, '0'); /* not computed yet */

    stop = await L.stepAndWait(dc, dc.reverseContinueRequest);
    assert.equal(stop.body.description, 'No more reverse-execution history.');
    stop = await L.stepAndWait(dc, dc.continueRequest);
    assert.equal(stop.body.reason, 'exception');
    fr = await L.frames(dc);
    assert.equal(fr[0].line, 24);
  } finally {
    await dc.stop();
  }
});
}
