'use strict';
// Attaching to a `wdb-run --gdb-listen` that is already running (started
// here, not by the adapter): tests/lldb/programs/spin.c loops until g_stop
// is set. The adapter attaches (which stops the program), lets it go again
// at configurationDone, and `pause` stops it in the loop. Then the program
// ends two ways: `continue` under the debugger (an `exited` event), and
// `disconnect` with terminateDebuggee false (the program runs on alone;
// once while stopped, once while running, then a second session attaches).
// Either way wdb-run's own exit status must be the program's, 42.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const L = require('./lib.js');

const SPIN = path.join(L.WASM_DIR, 'spin.wasm');
const SPIN_C = path.join(L.SRC_DIR, 'tests/lldb/programs/spin.c');
const LINE_SPIN = fs.readFileSync(SPIN_C, 'utf8').split('\n')
  .findIndex((l) => l.includes('LINE_SPIN')) + 1;

// Starts `wdb-run --gdb-listen=127.0.0.1:0 spin.wasm`; resolves with the
// port it printed on stderr. The program's stdout/stderr and exit status are
// collected on the returned object.
function startListening() {
  const child = spawn(L.WDB_RUN, ['--gdb-listen=127.0.0.1:0', SPIN],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  const rt = { child, stdout: '', stderr: '', status: undefined, signal: undefined };
  rt.exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      rt.status = code;
      rt.signal = signal;
      resolve(code);
    });
  });
  child.stdout.on('data', (b) => { rt.stdout += b.toString(); });
  rt.port = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no port from wdb-run: ${rt.stderr}`)), 10000);
    child.stderr.on('data', (b) => {
      rt.stderr += b.toString();
      const m = /wdb-run: debugger port (\d+)/.exec(rt.stderr);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', () => reject(new Error(`wdb-run ended before printing its port: ${rt.stderr}`)));
  });
  return rt;
}

// wdb-run's exit status, or a failure after `ms`.
async function exitStatus(rt, ms = 20000) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(
      `wdb-run did not exit within ${ms} ms (stdout: ${JSON.stringify(rt.stdout)}, ` +
      `stderr: ${JSON.stringify(rt.stderr)})`)), ms);
  });
  try {
    return await Promise.race([rt.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

function killIfRunning(rt) {
  if (rt.status === undefined && rt.signal === undefined) rt.child.kill('SIGKILL');
}

// DebugClient.stop() sends a disconnect of its own, which an adapter that
// already took ours (and ended) never answers.
async function stopClient(dc) {
  if (!dc) return;
  if (dc.disconnected) dc.stopAdapter();
  else await dc.stop();
}

// initialize + attach + configurationDone; the program must then be running
// (attach stopped it, configurationDone let it go: no `stopped` event).
async function attachAndRun(dc, attachArgs) {
  await dc.initializeRequest({ adapterID: 'wdb', linesStartAt1: true, columnsStartAt1: true,
                               pathFormat: 'path' });
  const initialized = dc.waitForEvent('initialized');
  await dc.attachRequest(attachArgs);
  await initialized;
  let early = null;
  dc.once('stopped', (e) => { early = e; });
  await dc.configurationDoneRequest();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(early, null, `stopped before any pause: ${JSON.stringify(early && early.body)}`);
  await assert.rejects(dc.stackTraceRequest({ threadId: 1 }), /running/);
}

// pause -> a stop in main on the spin loop line, with the loop counted.
async function pauseInLoop(dc) {
  const stop = await L.stepAndWait(dc, dc.pauseRequest);
  assert.equal(stop.body.reason, 'pause');
  assert.equal(stop.body.threadId, 1);
  const fr = await L.frames(dc);
  assert.equal(fr[0].name, 'main');
  assert.equal(fr[0].source.path, SPIN_C);
  assert.equal(fr[0].line, LINE_SPIN);
  const ev = await dc.evaluateRequest({ expression: 'g_iterations > 0', frameId: fr[0].id,
                                        context: 'watch' });
  assert.equal(ev.body.result, '1');
  const n = await dc.evaluateRequest({ expression: 'g_iterations', frameId: fr[0].id,
                                       context: 'watch' });
  assert.match(n.body.result, /^[1-9][0-9]*$/);
  return { fr, iterations: Number(n.body.result) };
}

test('attach to a running wdb-run --gdb-listen, pause, set g_stop, continue to exit 42', async () => {
  const rt = startListening();
  let dc;
  try {
    const port = await rt.port;
    assert.ok(port > 0 && port < 65536, `port ${port}`);
    dc = await L.startClient();
    await attachAndRun(dc, { program: SPIN, target: `127.0.0.1:${port}` });

    const first = await pauseInLoop(dc);
    // continue really lets it go: a second pause finds more iterations
    await dc.continueRequest({ threadId: 1 });
    await new Promise((r) => setTimeout(r, 200));
    const second = await pauseInLoop(dc);
    assert.ok(second.iterations > first.iterations,
              `g_iterations did not grow: ${first.iterations} then ${second.iterations}`);

    const ev = await dc.evaluateRequest({ expression: 'g_stop = 1', frameId: second.fr[0].id,
                                          context: 'repl' });
    assert.equal(ev.body.result, '1');
    const exited = dc.waitForEvent('exited');
    const terminated = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exited).body.exitCode, 42);
    await terminated;
    assert.equal(await exitStatus(rt), 42);
    assert.match(rt.stdout, /stopped after the debugger's request/);
  } finally {
    await stopClient(dc);
    killIfRunning(rt);
  }
});

test('attach (host and port), pause, setVariable g_stop, disconnect without terminating: exits 42 alone', async () => {
  const rt = startListening();
  let dc;
  try {
    const port = await rt.port;
    dc = await L.startClient();
    await attachAndRun(dc, { program: SPIN, host: '127.0.0.1', port });
    const { fr } = await pauseInLoop(dc);

    const globals = await dc.scopesRequest({ frameId: fr[0].id });
    const scope = globals.body.scopes.find((s) => s.name === 'Globals');
    assert.ok(scope, JSON.stringify(globals.body.scopes));
    const g = await L.vars(dc, scope.variablesReference);
    assert.equal(g.g_stop.value, '0');
    const set = await dc.setVariableRequest({ variablesReference: scope.variablesReference,
                                             name: 'g_stop', value: '1' });
    assert.equal(set.body.value, '1');
    const back = await dc.evaluateRequest({ expression: 'g_stop', frameId: fr[0].id, context: 'watch' });
    assert.equal(back.body.result, '1');

    // the program is still stopped: it has not exited while we looked
    assert.equal(rt.status, undefined);
    let exitedEvent = null;
    dc.on('exited', (e) => { exitedEvent = e; });
    const terminated = dc.waitForEvent('terminated');
    await dc.disconnectRequest({ terminateDebuggee: false });
    dc.disconnected = true;
    await terminated;
    assert.equal(await exitStatus(rt), 42);
    assert.match(rt.stdout, /stopped after the debugger's request/);
    assert.equal(exitedEvent, null, 'a detached program reported an exit through the adapter');
  } finally {
    await stopClient(dc);
    killIfRunning(rt);
  }
});

test('disconnect without terminating while the program runs, then attach again and end it', async () => {
  const rt = startListening();
  let dc, dc2;
  try {
    const port = await rt.port;
    dc = await L.startClient();
    await attachAndRun(dc, { program: SPIN, target: `127.0.0.1:${port}` });
    const first = await pauseInLoop(dc);
    await dc.continueRequest({ threadId: 1 });
    await new Promise((r) => setTimeout(r, 100));
    // the program is running: the adapter has to stop it to detach
    await assert.rejects(dc.stackTraceRequest({ threadId: 1 }), /running/);
    let stoppedEvent = null;
    dc.on('stopped', (e) => { stoppedEvent = e; });
    const terminated = dc.waitForEvent('terminated');
    await dc.disconnectRequest({ terminateDebuggee: false });
    dc.disconnected = true;
    await terminated;
    assert.equal(stoppedEvent, null, 'the stop made to detach was reported');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(rt.status, undefined, `wdb-run ended after the detach: ${rt.stderr}`);

    // a second session attaches to the same wdb-run: the loop went on meanwhile
    dc2 = await L.startClient();
    await attachAndRun(dc2, { program: SPIN, target: `127.0.0.1:${port}` });
    const second = await pauseInLoop(dc2);
    assert.ok(second.iterations > first.iterations,
              `g_iterations did not grow: ${first.iterations} then ${second.iterations}`);
    await dc2.evaluateRequest({ expression: 'g_stop = 1', frameId: second.fr[0].id, context: 'repl' });
    const exited = dc2.waitForEvent('exited');
    await dc2.continueRequest({ threadId: 1 });
    assert.equal((await exited).body.exitCode, 42);
    assert.equal(await exitStatus(rt), 42);
    assert.match(rt.stdout, /stopped after the debugger's request/);
  } finally {
    await stopClient(dc);
    await stopClient(dc2);
    killIfRunning(rt);
  }
});

// A device's debug UART: a pty pair made by socat stands for the
// USB-serial adapter, `wdb-run --gdb-listen --gdb-tty` for the device, and
// the attach configuration names the line ("serialPort", "baudRate").
test('attach over a serial line (serialPort, baudRate), pause, set g_stop, continue to exit 42', async () => {
  const os = require('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wdb-dap-serial-'));
  const devLink = path.join(dir, 'dev');
  const hostLink = path.join(dir, 'host');
  const socat = spawn('socat', [`pty,raw,echo=0,link=${devLink}`, `pty,raw,echo=0,link=${hostLink}`],
                      { stdio: 'ignore' });
  let dc;
  let rt;
  try {
    for (let i = 0; i < 100 && !(fs.existsSync(devLink) && fs.existsSync(hostLink)); i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.ok(fs.existsSync(hostLink), 'socat made no pty pair');
    const child = spawn(L.WDB_RUN, ['--gdb-listen', `--gdb-tty=${fs.realpathSync(devLink)}`,
                                    '--gdb-baud=115200', SPIN], { stdio: ['ignore', 'pipe', 'pipe'] });
    rt = { child, stdout: '', stderr: '', status: undefined, signal: undefined };
    rt.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
      rt.status = code;
      rt.signal = signal;
      resolve(code);
    }));
    child.stdout.on('data', (b) => { rt.stdout += b.toString(); });
    child.stderr.on('data', (b) => { rt.stderr += b.toString(); });
    await new Promise((r) => setTimeout(r, 300));
    dc = await L.startClient();
    await attachAndRun(dc, { program: SPIN, serialPort: fs.realpathSync(hostLink), baudRate: 115200 });
    const { fr } = await pauseInLoop(dc);
    const ev = await dc.evaluateRequest({ expression: 'g_stop = 1', frameId: fr[0].id, context: 'repl' });
    assert.equal(ev.body.result, '1');
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exited).body.exitCode, 42);
    assert.equal(await exitStatus(rt), 42);
  } finally {
    await stopClient(dc);
    if (rt) killIfRunning(rt);
    socat.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
