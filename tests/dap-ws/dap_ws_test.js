'use strict';
// Tests of `wdb --dap-ws` (the DAP server's websocket transport) with a
// real websocket client (`ws`). Each test starts its own server on port 0
// and reads the real port from the line wdb prints on stderr.
//
// Environment (set by CMakeLists.txt): WDB (the wdb binary), WDB_RUN
// (wdb-run), WDB_TEST_WASM (inventory.c built with DWARF), WDB_TEST_SOURCE
// (inventory.c), NODE_PATH (the build directory's node_modules).

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const http = require('node:http');
const WebSocket = require('ws');

const WDB = process.env.WDB;
const WDB_RUN = process.env.WDB_RUN;
const WASM = process.env.WDB_TEST_WASM;
const SOURCE = process.env.WDB_TEST_SOURCE;
const TOKEN = 'test-token-0123456789abcdef';
const MiB = 1024 * 1024;

// ---------------------------------------------------------------- server

// Starts `wdb --dap-ws=ADDR:0 ARGS`; resolves with {url, proc, log()} once
// it listens, or rejects with its exit status and stderr if it exits.
function startServer({ addr = '127.0.0.1:0', args = [], env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(WDB, [`--dap-ws=${addr}`, `--runtime=${WDB_RUN}`, ...args], {
      env: { ...process.env, WDB_DAP_TOKEN: TOKEN, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let listening = false;
    const exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })));
    proc.stdout.on('data', () => {});
    proc.stderr.on('data', (d) => {
      stderr += d.toString();
      const m = /wdb: DAP websocket server on (ws:\/\/\S+) \(token required\)/.exec(stderr);
      if (m && !listening) {
        listening = true;
        resolve({
          url: m[1],
          proc,
          log: () => stderr,
          // SIGTERM; resolves with the exit status.
          stop: async () => {
            proc.kill('SIGTERM');
            return exited;
          },
          exited,
        });
      }
    });
    exited.then(({ code, signal }) => {
      if (!listening) reject(Object.assign(new Error(`wdb exited (${code ?? signal})`), { code, stderr }));
    });
  });
}

// Runs wdb with these arguments to the end: {code, stderr}.
function runWdb(args, env = {}) {
  return new Promise((resolve) => {
    const proc = spawn(WDB, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d.toString()));
    proc.stdout.on('data', () => {});
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10000);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

// Waits until the server's log matches re (the log is written a moment
// after the client sees the effect).
async function waitLog(server, re, ms = 5000) {
  const end = Date.now() + ms;
  while (!re.test(server.log())) {
    if (Date.now() > end) assert.fail(`server log never matched ${re}:\n${server.log()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// ---------------------------------------------------------------- client

// Opens a websocket. auth: 'query' (default), 'bearer' or 'none'.
// Resolves with the socket, or rejects with {status} if the server
// answers the upgrade with an HTTP status.
function connect(url, { auth = 'query', token = TOKEN, origin, protocol } = {}) {
  return new Promise((resolve, reject) => {
    const headers = {};
    let target = `${url}/`;
    if (auth === 'query') target += `?token=${encodeURIComponent(token)}`;
    if (auth === 'bearer') headers.Authorization = `Bearer ${token}`;
    const opts = { headers, maxPayload: 64 * MiB };
    if (origin) opts.origin = origin;
    const ws = new WebSocket(target, protocol, opts);
    ws.on('unexpected-response', (req, res) => {
      reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode }));
      req.destroy();
    });
    ws.on('open', () => resolve(ws));
    ws.on('error', (e) => reject(e));
  });
}

// A DAP client over one socket: request() resolves with the response;
// every message is kept in `messages`; `closed` resolves with the close
// code.
class Dap {
  constructor(ws) {
    this.ws = ws;
    this.seq = 0;
    this.messages = [];
    this.waiters = [];
    this.closed = new Promise((res) => ws.on('close', (code, reason) => res({ code, reason: reason.toString() })));
    ws.on('message', (data, isBinary) => {
      assert.equal(isBinary, false, 'the server sends text frames');
      const msg = JSON.parse(data.toString());
      this.messages.push(msg);
      this.waiters = this.waiters.filter((w) => !(w.match(msg) && (w.resolve(msg), true)));
    });
    ws.on('error', () => {});
  }

  // Resolves with the first message (already received or to come) for
  // which match() is true.
  waitFor(match, what = 'a message', ms = 30000) {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.messages)}`)), ms);
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  sendRaw(text, opts) {
    this.ws.send(text, opts);
  }

  request(command, args) {
    const seq = ++this.seq;
    const req = { seq, type: 'request', command };
    if (args !== undefined) req.arguments = args;
    this.ws.send(JSON.stringify(req));
    return this.waitFor((m) => m.type === 'response' && m.request_seq === seq, `the response to ${command}`);
  }

  event(name) {
    return this.waitFor((m) => m.type === 'event' && m.event === name, `event ${name}`);
  }

  initialize() {
    return this.request('initialize', {
      clientID: 'dap-ws-test', adapterID: 'wdb', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path',
    });
  }
}

// What a session says about a message it cannot use: an error response,
// or (no request to answer) an "important" output event.
function isComplaint(m) {
  return (m.type === 'response' && m.success === false) ||
    (m.type === 'event' && m.event === 'output' && m.body && m.body.category === 'important');
}

// initialize, launch inventory.wasm, a breakpoint in value() (line 31),
// configurationDone: resolves with the top frame at the stop.
const BREAK_LINE = 31;
async function launchToBreakpoint(dap) {
  checkInitialize(await dap.initialize());
  const initialized = dap.event('initialized');
  const launch = await dap.request('launch', { program: WASM, stopOnEntry: false });
  assert.equal(launch.success, true, JSON.stringify(launch));
  await initialized;
  const bp = await dap.request('setBreakpoints', {
    source: { path: SOURCE }, breakpoints: [{ line: BREAK_LINE }],
  });
  assert.equal(bp.success, true, JSON.stringify(bp));
  assert.equal(bp.body.breakpoints[0].verified, true, JSON.stringify(bp));
  const stopped = dap.event('stopped');
  assert.equal((await dap.request('configurationDone')).success, true);
  const ev = await stopped;
  assert.equal(ev.body.reason, 'breakpoint', JSON.stringify(ev));
  const st = await dap.request('stackTrace', { threadId: ev.body.threadId });
  assert.equal(st.success, true, JSON.stringify(st));
  const top = st.body.stackFrames[0];
  assert.equal(top.line, BREAK_LINE, JSON.stringify(top));
  assert.match(top.name, /value/);
  return top;
}

// The server's child processes (the programs its sessions run).
function children(pid) {
  const fs = require('node:fs');
  let out = [];
  for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      out = out.concat(fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean));
    } catch (e) { /* the thread ended */ }
  }
  return out;
}

async function waitNoChildren(pid, ms = 10000) {
  const end = Date.now() + ms;
  while (children(pid).length) {
    if (Date.now() > end) assert.fail(`programs still running: ${children(pid)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function session(url, opts) {
  return new Dap(await connect(url, opts));
}

function checkInitialize(resp) {
  assert.equal(resp.type, 'response');
  assert.equal(resp.command, 'initialize');
  assert.equal(resp.success, true, JSON.stringify(resp));
  assert.equal(typeof resp.body, 'object');
  assert.ok(Object.keys(resp.body).some((k) => k.startsWith('supports')), `capabilities in ${JSON.stringify(resp.body)}`);
}

async function withServer(opts, fn) {
  const server = await startServer(opts);
  try {
    await fn(server);
  } finally {
    const { code } = await server.stop();
    assert.equal(code, 0, `wdb exit status after SIGTERM\n${server.log()}`);
    // sanitizer builds (-DWDB_SANITIZE=ON) report on stderr
    assert.doesNotMatch(server.log(), /runtime error|AddressSanitizer|LeakSanitizer/);
  }
}

// ------------------------------------------------------------------ tests

test('initialize with the token in the query and as a Bearer header', () =>
  withServer({}, async (server) => {
    assert.match(server.url, /^ws:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
    const a = await session(server.url, { auth: 'query' });
    checkInitialize(await a.initialize());
    const b = await session(server.url, { auth: 'bearer', protocol: 'dap' });
    checkInitialize(await b.initialize());
    a.ws.close();
    b.ws.close();
    await waitLog(server, /session 1 .*closed/);
  }));

test('two sessions at once, interleaved', () =>
  withServer({}, async (server) => {
    const [a, b] = await Promise.all([session(server.url), session(server.url)]);
    const [ra, rb] = await Promise.all([a.initialize(), b.initialize()]);
    checkInitialize(ra);
    checkInitialize(rb);
    // each session numbers its own messages: the same request_seq in both
    assert.equal(ra.request_seq, 1);
    assert.equal(rb.request_seq, 1);
    const [ua, ub] = await Promise.all([a.request('wdbNoSuchRequestA'), b.request('wdbNoSuchRequestB')]);
    assert.equal(ua.command, 'wdbNoSuchRequestA');
    assert.equal(ub.command, 'wdbNoSuchRequestB');
    // nothing of one session reached the other
    assert.ok(!a.messages.some((m) => m.command === 'wdbNoSuchRequestB'));
    assert.ok(!b.messages.some((m) => m.command === 'wdbNoSuchRequestA'));
    a.ws.close();
    b.ws.close();
  }));

test('two sessions debug a program each, at once', () =>
  withServer({}, async (server) => {
    const [a, b] = await Promise.all([session(server.url), session(server.url)]);
    await Promise.all([launchToBreakpoint(a), launchToBreakpoint(b)]);
    assert.equal(children(server.proc.pid).length, 2);
    // each evaluates in its own program: continue one, the other stays
    const cont = a.event('stopped');
    await a.request('continue', { threadId: 1 });
    await cont; // the second call of value()
    const [ea, eb] = await Promise.all([
      a.request('evaluate', { expression: 'it->qty', frameId: (await a.request('stackTrace', { threadId: 1 })).body.stackFrames[0].id, context: 'watch' }),
      b.request('evaluate', { expression: 'it->qty', frameId: (await b.request('stackTrace', { threadId: 1 })).body.stackFrames[0].id, context: 'watch' }),
    ]);
    assert.equal(ea.body.result, '3', JSON.stringify(ea)); // a: apple
    assert.equal(eb.body.result, '7', JSON.stringify(eb)); // b: pear
    for (const d of [a, b]) {
      const r = await d.request('disconnect', { terminateDebuggee: true });
      assert.equal(r.success, true);
      assert.equal((await d.closed).code, 1000);
    }
    await waitNoChildren(server.proc.pid);
  }));

test('wrong or missing token: upgrade refused with 401 and logged', () =>
  withServer({}, async (server) => {
    await assert.rejects(connect(server.url, { token: 'not-the-token-0123456789' }), { status: 401 });
    await assert.rejects(connect(server.url, { auth: 'bearer', token: TOKEN + 'x' }), { status: 401 });
    await assert.rejects(connect(server.url, { token: TOKEN.slice(0, -1) }), { status: 401 });
    await assert.rejects(connect(server.url, { auth: 'none' }), { status: 401 });
    await waitLog(server, /refused a connection from 127\.0\.0\.1: wrong token/);
    await waitLog(server, /refused a connection from 127\.0\.0\.1: no token/);
    // the server still serves the right token
    const a = await session(server.url);
    checkInitialize(await a.initialize());
    a.ws.close();
  }));

test('--dap-token on the command line: that token and no other; an empty host is loopback', async () => {
  const own = 'command-line-token-fedcba9876543210';
  const server = await startServer({ addr: ':0', args: [`--dap-token=${own}`], env: { WDB_DAP_TOKEN: '' } });
  try {
    assert.match(server.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
    await assert.rejects(connect(server.url, { token: TOKEN }), { status: 401 });
    const a = await session(server.url, { token: own });
    checkInitialize(await a.initialize());
    a.ws.close();
  } finally {
    assert.equal((await server.stop()).code, 0);
  }
});

test('Origin: browsers only from allowed origins', () =>
  withServer({ args: ['--dap-origin=http://localhost:5173'] }, async (server) => {
    await assert.rejects(connect(server.url, { origin: 'https://evil.example' }), { status: 403 });
    await assert.rejects(connect(server.url, { origin: 'null' }), { status: 403 });
    await assert.rejects(connect(server.url, { origin: 'http://localhost:5174' }), { status: 403 });
    await waitLog(server, /refused a connection from 127\.0\.0\.1 \(Origin https:\/\/evil\.example\): Origin not allowed/);
    for (const origin of ['http://localhost:5173', 'vscode-webview://1a2b3c', 'vscode-file://vscode-app']) {
      const a = await session(server.url, { origin });
      checkInitialize(await a.initialize());
      a.ws.close();
    }
  }));

// A websocket upgrade written by hand (bytes a client library would not
// send: NULs, any Host). Resolves with the HTTP status of the answer.
function rawUpgrade(url, { target = `/?token=${TOKEN}`, host, headers = [] } = {}) {
  const net = require('node:net');
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), hostname, () => {
      sock.write(Buffer.concat([
        Buffer.from(`GET ${target} HTTP/1.1\r\nHost: ${host ?? `${hostname}:${port}`}\r\n` +
                    'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
                    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n', 'latin1'),
        ...headers.map((h) => Buffer.from(`${h}\r\n`, 'latin1')),
        Buffer.from('\r\n'),
      ]));
    });
    let got = '';
    sock.on('data', (d) => {
      got += d.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d+)/.exec(got);
      if (m) { sock.destroy(); resolve(Number(m[1])); }
    });
    sock.on('error', reject);
    sock.on('close', () => resolve(got ? got.slice(0, 40) : 'closed'));
  });
}

test('a token followed by a NUL or more bytes is a wrong token (issue 14)', () =>
  withServer({}, async (server) => {
    assert.equal(await rawUpgrade(server.url), 101);
    // libwebsockets may drop a URL with %00 itself: refused either way
    for (const target of [`/?token=${TOKEN}%00x`, `/?token=${TOKEN}%00`])
      assert.ok([401, 'closed'].includes(await rawUpgrade(server.url, { target })), target);
    assert.equal(await rawUpgrade(server.url, { target: '/', headers: [`Authorization: Bearer ${TOKEN}\0x`] }), 401);
    assert.equal(await rawUpgrade(server.url, { target: '/', headers: [`Authorization: Bearer ${TOKEN}`] }), 101);
  }));

test('Host: loopback names only (DNS rebinding, issue 14)', () =>
  withServer({}, async (server) => {
    const port = new URL(server.url).port;
    for (const host of [`localhost:${port}`, 'LOCALHOST', `127.0.0.1:${port}`, '127.1.2.3', `[::1]:${port}`, '[::1]'])
      assert.equal(await rawUpgrade(server.url, { host }), 101, host);
    for (const host of [`evil.example:${port}`, 'evil.example', 'localhost.evil.example', '128.0.0.1',
                        '127.0.0.1.evil.example', '[::2]', '0.0.0.0', `localhost:${port}x`])
      assert.equal(await rawUpgrade(server.url, { host }), 403, host);
    await waitLog(server, /Host is not a loopback name/);
    // a client library's upgrade (Host 127.0.0.1:PORT) still works
    const a = await session(server.url);
    checkInitialize(await a.initialize());
    a.ws.close();
  }));

test('plain HTTP gets 404, not a session', () =>
  withServer({}, async (server) => {
    const status = await new Promise((resolve, reject) => {
      http.get(`${server.url.replace('ws:', 'http:')}/?token=${TOKEN}`, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject);
    });
    assert.equal(status, 404);
  }));

test('messages in fragments are assembled; oversize closes with 1009', () =>
  withServer({}, async (server) => {
    const a = await session(server.url);
    const text = JSON.stringify({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'wdb' } });
    a.sendRaw(text.slice(0, 10), { fin: false });
    a.sendRaw(text.slice(10, 30), { fin: false });
    a.sendRaw(text.slice(30), { fin: true });
    checkInitialize(await a.waitFor((m) => m.request_seq === 1));
    // one frame over 16 MiB
    a.sendRaw('x'.repeat(16 * MiB + 1));
    assert.equal((await a.closed).code, 1009);
    // 16 MiB in fragments, the last one going over
    const b = await session(server.url);
    b.sendRaw('y'.repeat(9 * MiB), { fin: false });
    b.sendRaw('y'.repeat(9 * MiB), { fin: true });
    assert.equal((await b.closed).code, 1009);
    await waitLog(server, /message over 16 MiB; closing/);
    // exactly the limit is accepted (and is malformed JSON: an error response)
    const c = await session(server.url);
    c.sendRaw('z'.repeat(16 * MiB));
    await c.waitFor(isComplaint, 'a complaint about the message');
    checkInitialize(await c.initialize());
    c.ws.close();
  }));

test('a binary frame closes with 1003', () =>
  withServer({}, async (server) => {
    const a = await session(server.url);
    a.sendRaw(Buffer.from('{"seq":1,"type":"request","command":"initialize"}'), { binary: true });
    assert.equal((await a.closed).code, 1003);
    await waitLog(server, /binary frame/);
  }));

test('invalid UTF-8 closes with 1007', () =>
  withServer({}, async (server) => {
    const a = await session(server.url);
    a.sendRaw(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), { binary: false });
    assert.equal((await a.closed).code, 1007);
  }));

test('malformed JSON and unknown requests get error responses; the session goes on', () =>
  withServer({}, async (server) => {
    const a = await session(server.url);
    a.sendRaw('{"seq": 1, "type": "request", "command": ');
    await a.waitFor(isComplaint, 'a complaint about malformed JSON');
    a.sendRaw('[1, 2, 3]');
    a.sendRaw('');
    a.sendRaw('{"seq": 2, "type": "request", "command": 42}');
    a.seq = 10;
    const r = await a.request('wdbNoSuchRequest', {});
    assert.equal(r.success, false);
    assert.equal(r.command, 'wdbNoSuchRequest');
    checkInitialize(await a.initialize());
    a.ws.close();
  }));

test('a client that vanishes mid-session does not disturb the others', () =>
  withServer({}, async (server) => {
    const stay = await session(server.url);
    checkInitialize(await stay.initialize());
    const gone = await session(server.url);
    await launchToBreakpoint(gone);
    assert.equal(children(server.proc.pid).length, 1);
    gone.sendRaw(JSON.stringify({ seq: 99, type: 'request', command: 'threads' }));
    gone.ws.terminate(); // no close frame, mid-conversation
    await waitLog(server, /session 2 .*closed/);
    await waitNoChildren(server.proc.pid); // its program was ended
    // a half-sent message, then gone
    const half = await session(server.url);
    half.sendRaw('{"seq":1,"type":"request"', { fin: false });
    half.ws.terminate();
    await waitLog(server, /session 3 .*closed/);
    const next = await session(server.url);
    checkInitialize(await next.initialize());
    stay.seq = 5;
    const r = await stay.request('wdbNoSuchRequest');
    assert.equal(r.success, false);
    stay.ws.close();
    next.ws.close();
  }));

test('disconnect: the server closes the connection normally', () =>
  withServer({}, async (server) => {
    const a = await session(server.url);
    checkInitialize(await a.initialize());
    const r = await a.request('disconnect', { terminateDebuggee: true });
    assert.equal(r.success, true);
    assert.equal((await a.closed).code, 1000);
  }));

test('SIGTERM with sessions open ends the server cleanly', async () => {
  const server = await startServer();
  const a = await session(server.url);
  checkInitialize(await a.initialize());
  const b = await session(server.url);
  await launchToBreakpoint(b);
  const programs = children(server.proc.pid);
  assert.equal(programs.length, 1);
  const { code } = await server.stop();
  assert.equal(code, 0, server.log());
  assert.match(server.log(), /stopping/);
  await a.closed;
  await b.closed;
  // the stopped program was ended with its session
  assert.throws(() => process.kill(Number(programs[0]), 0), { code: 'ESRCH' });
});

test('non-loopback addresses need --dap-allow-remote', async () => {
  const r = await runWdb(['--dap-ws=0.0.0.0:0'], { WDB_DAP_TOKEN: TOKEN });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /refusing to serve DAP on non-loopback address '0\.0\.0\.0'.*--dap-allow-remote/);
  const r6 = await runWdb(['--dap-ws', '[::]:0'], { WDB_DAP_TOKEN: TOKEN });
  assert.equal(r6.code, 1);
  assert.match(r6.stderr, /--dap-allow-remote/);
  const server = await startServer({ addr: '0.0.0.0:0', args: ['--dap-allow-remote'] });
  try {
    assert.match(server.log(), /reachable from other hosts/);
    const port = server.url.split(':').pop();
    const a = await session(`ws://127.0.0.1:${port}`);
    checkInitialize(await a.initialize());
    a.ws.close();
  } finally {
    assert.equal((await server.stop()).code, 0);
  }
});

test('command line errors', async () => {
  let r = await runWdb(['--dap-ws=127.0.0.1:0'], { WDB_DAP_TOKEN: '' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /needs a token/);
  r = await runWdb(['--dap-ws=127.0.0.1:0', '--dap-token=short']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /at least 16/);
  r = await runWdb(['--dap-ws=127.0.0.1:99999'], { WDB_DAP_TOKEN: TOKEN });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bad port/);
  r = await runWdb(['--dap-ws=127.0.0.1:0', 'app.wasm'], { WDB_DAP_TOKEN: TOKEN });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /does not go with --dap-ws/);
  r = await runWdb(['--dap-origin=http://x'], { WDB_DAP_TOKEN: TOKEN });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /need --dap-ws/);
  // IPv6 loopback, when the machine has it
  const server = await startServer({ addr: '[::1]:0' }).catch((e) => e);
  if (server instanceof Error) {
    assert.match(server.stderr, /cannot listen|cannot resolve/);
  } else {
    assert.match(server.url, /^ws:\/\/\[::1\]:\d+$/);
    const a = await session(server.url);
    checkInitialize(await a.initialize());
    a.ws.close();
    assert.equal((await server.stop()).code, 0);
  }
});
