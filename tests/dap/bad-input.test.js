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

// Issue 14: what a request reads is bounded and limited, memory writes are
// all or nothing, a missing cwd is named as such.
test('files: FIFOs and devices refused, source only of the program, cwd named, writeMemory all or nothing', async () => {
  const fs = require('node:fs');
  const os = require('node:os');
  const { execFileSync } = require('node:child_process');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wdb-dap-files-'));
  const fifo = path.join(dir, 'fifo.wasm');
  execFileSync('mkfifo', [fifo]);
  const dc = await L.startClient();
  let disconnected = false;
  try {
    await dc.initializeRequest({ adapterID: 'wdb', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    // `source` before launch reads nothing (not even a FIFO: no hang)
    await assert.rejects(dc.sourceRequest({ source: { path: '/etc/passwd' }, sourceReference: 0 }),
                         /not a source file of the program/);
    await assert.rejects(dc.sourceRequest({ source: { path: fifo }, sourceReference: 0 }),
                         /not a source file of the program/);
    // the program: regular files only, the adapter goes on answering
    await assert.rejects(dc.launchRequest({ program: fifo, runtime: L.WDB_RUN }), /fifo\.wasm: not a regular file/);
    await assert.rejects(dc.launchRequest({ program: '/dev/zero', runtime: L.WDB_RUN }), /\/dev\/zero: not a regular file/);
    // a cwd that does not exist is named, not blamed on the runtime
    await assert.rejects(dc.launchRequest({ program: L.INVENTORY, runtime: L.WDB_RUN, cwd: path.join(dir, 'nope') }),
                         /working directory .*nope: No such file or directory/);
    const initialized = dc.waitForEvent('initialized');
    await dc.launchRequest({ program: L.INVENTORY, runtime: L.WDB_RUN });
    await initialized;
    // after launch: the program's sources, nothing else
    await assert.rejects(dc.sourceRequest({ source: { path: '/etc/passwd' }, sourceReference: 0 }),
                         /not a source file of the program/);
    const src = await dc.sourceRequest({ source: { path: L.INVENTORY_C }, sourceReference: 0 });
    assert.match(src.body.content, /struct item/);
    await dc.setBreakpointsRequest({ source: { path: L.INVENTORY_C }, breakpoints: [{ line: 46 }] });
    await L.run(dc);
    // the end of linear memory: the last readable page boundary
    const readable = async (a) => {
      const r = await dc.customRequest('readMemory', { memoryReference: `0x${a.toString(16)}`, count: 1 });
      return !!r.body.data && Buffer.from(r.body.data, 'base64').length === 1;
    };
    let lo = 1, hi = 65536; // pages: lo readable, hi not
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (await readable(mid * 65536 - 1)) lo = mid; else hi = mid;
    }
    const end = lo * 65536;
    const at = end - 6000; // 8 KiB from here: the first chunks fit, the last does not
    const before = await dc.customRequest('readMemory', { memoryReference: `0x${at.toString(16)}`, count: 6000 });
    await assert.rejects(dc.customRequest('writeMemory', { memoryReference: `0x${at.toString(16)}`,
                                                           data: Buffer.alloc(8192, 0x5a).toString('base64') }));
    const after = await dc.customRequest('readMemory', { memoryReference: `0x${at.toString(16)}`, count: 6000 });
    assert.equal(after.body.data, before.body.data, 'a refused write changed memory');
    // an address that wraps around 2^64 onto low memory is refused
    const low = await dc.customRequest('readMemory', { memoryReference: '0x10', count: 4 });
    await assert.rejects(dc.customRequest('writeMemory', { memoryReference: '0xffffffffffffffff', offset: 17,
                                                           data: Buffer.from('WRAP').toString('base64') }),
                         /outside/);
    await assert.rejects(dc.customRequest('readMemory', { memoryReference: '0xfffffffffffffff0', offset: 32, count: 4 }),
                         /outside/);
    const low2 = await dc.customRequest('readMemory', { memoryReference: '0x10', count: 4 });
    assert.equal(low2.body.data, low.body.data);
    // and it still answers disconnect (after which the adapter ends)
    const bye = await dc.disconnectRequest({ terminateDebuggee: true });
    assert.equal(bye.success, true);
    disconnected = true;
  } finally {
    if (!disconnected) await dc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
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
