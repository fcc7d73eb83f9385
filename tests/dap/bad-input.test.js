'use strict';
// Bad input: malformed JSON, things that are not requests, unknown
// requests, requests in the wrong state, and broken framing.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawn } = require('node:child_process');
const L = require('./lib.js');

function raw(dc, text) {
  dc.outputStream.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}

// The next response event with request_seq `seq` from the raw stream.
function responseTo(dc, seq) {
  return new Promise((resolve) => {
    const orig = dc.dispatch.bind(dc);
    dc.dispatch = (body) => {
      const m = JSON.parse(body);
      if (m.type === 'response' && m.request_seq === seq) resolve(m);
      else orig(body);
    };
  });
}

test('malformed JSON, non-requests and unknown requests get errors, never a crash', async () => {
  const dc = await L.startClient();
  try {
    const important = dc.waitForEvent('output');
    raw(dc, '{"seq": 1, "type": "request", "command": ');
    const ev = await important;
    assert.equal(ev.body.category, 'important');
    assert.match(ev.body.output, /not JSON/);

    let resp = responseTo(dc, 0);
    raw(dc, '{"hello": "world"}');
    let m = await resp;
    assert.equal(m.success, false);
    assert.match(m.message, /not a DAP request/);

    resp = responseTo(dc, 77);
    raw(dc, '{"seq": 77, "type": "request", "command": "initialize", "arguments": 5}');
    m = await resp;
    assert.equal(m.success, false);
    assert.match(m.message, /arguments/);

    await assert.rejects(dc.customRequest('frobnicate', {}), /unknown request 'frobnicate'/);
    // still alive and answering
    const init = await dc.initializeRequest({ adapterID: 'wdb' });
    assert.equal(init.success, true);
    await assert.rejects(dc.initializeRequest({ adapterID: 'wdb' }), /already/);
  } finally {
    await dc.stop();
  }
});

test('requests in the wrong state', async () => {
  const dc = await L.startClient();
  try {
    await assert.rejects(dc.launchRequest({ program: L.INVENTORY }), /initialize first/);
    await dc.initializeRequest({ adapterID: 'wdb' });
    await assert.rejects(dc.stackTraceRequest({ threadId: 1 }), /launch or attach first/);
    await assert.rejects(dc.launchRequest({}), /"program"/);
    await assert.rejects(dc.launchRequest({ program: '/nonexistent/x.wasm', runtime: L.WDB_RUN }),
                         /nonexistent/);
    const initialized = dc.waitForEvent('initialized');
    await dc.launchRequest({ program: L.INVENTORY, runtime: L.WDB_RUN });
    await initialized;
    await assert.rejects(dc.launchRequest({ program: L.INVENTORY, runtime: L.WDB_RUN }),
                         /already being debugged/);
    await assert.rejects(dc.continueRequest({ threadId: 1 }), /configurationDone first/);
    await assert.rejects(dc.variablesRequest({ variablesReference: 999 }), /Unknown variablesReference/);
    await assert.rejects(dc.customRequest('readMemory', { memoryReference: 'zz', count: 4 }),
                         /memoryReference/);
    await assert.rejects(dc.exceptionInfoRequest({ threadId: 1 }), /not stopped at a trap/);
    // run control belongs to the editor, not to console commands
    const killed = await dc.evaluateRequest({ expression: '-exec kill', context: 'repl' });
    assert.match(killed.body.result, /"kill" is not available in the debug console/);
    const bad = await dc.setBreakpointsRequest({ source: { path: '/no/such/file.c' },
                                                 breakpoints: [{ line: 3 }] });
    assert.equal(bad.body.breakpoints[0].verified, false);
    assert.ok(bad.body.breakpoints[0].message);
  } finally {
    await dc.stop();
  }
});

// Frames that are not DAP: the adapter says why on stderr and exits 1.
function runRaw(bytes) {
  return new Promise((resolve) => {
    const p = spawn(L.WDB, ['--dap'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('exit', (code) => resolve({ code, err }));
    p.stdin.write(bytes);
  });
}

test('broken framing: oversized and malformed headers end the adapter with a message', async () => {
  let r = await runRaw('Content-Length: 99999999999\r\n\r\n{}');
  assert.equal(r.code, 1);
  assert.match(r.err, /16 MiB/);
  r = await runRaw('Hello there\r\n\r\n');
  assert.equal(r.code, 1);
  assert.match(r.err, /malformed header/);
  r = await runRaw('Content-Length: twelve\r\n\r\n');
  assert.equal(r.code, 1);
  assert.match(r.err, /not a number/);
  r = await runRaw('Content-Type: x\r\n\r\n');
  assert.equal(r.code, 1);
  assert.match(r.err, /without Content-Length/);
  r = await runRaw('x'.repeat(9000));
  assert.equal(r.code, 1);
  assert.match(r.err, /header longer/);
  void path;
});

// A client that writes its requests and closes its end (a script piping
// into `wdb --dap`): every request sent is still answered, then wdb ends.
test('input closed right after the requests: each still gets its response', async () => {
  const frame = (o) => { const s = JSON.stringify(o); return `Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`; };
  const out = await new Promise((resolve) => {
    const p = spawn(L.WDB, ['--dap'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let text = '';
    p.stdout.on('data', (d) => { text += d; });
    p.on('exit', (code) => resolve({ code, text }));
    p.stdin.end(frame({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'x' } }) +
                frame({ seq: 2, type: 'request', command: 'fly' }) +
                frame({ seq: 3, type: 'request', command: 'threads' }));
  });
  assert.equal(out.code, 0);
  const seqs = [...out.text.matchAll(/"request_seq":(\d+)/g)].map((m) => Number(m[1]));
  assert.deepEqual(seqs, [1, 2, 3], out.text);
  assert.match(out.text, /unknown request 'fly'/);
});
