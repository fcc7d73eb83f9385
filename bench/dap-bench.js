'use strict';
// Times DAP sessions against `wdb --dap` (driven by bench/dap.sh; not a test).
// Node's standard library only: the Content-Length framing is done here.
//
//   node bench/dap-bench.js --wdb WDB --runtime WDB_RUN --program APP.wasm
//        --source FILE.c --line N [--sessions S] [--nexts K]
//
// Each of S sessions starts a fresh `wdb --dap` and measures
//   (a) launch: from sending `launch` to the `stopped` event at the
//       breakpoint FILE.c:N, the way an editor gets there: launch ->
//       (initialized event) -> setBreakpoints -> configurationDone -> stopped;
//   (b) K times `next` as an editor refreshes after it: next -> stopped ->
//       stackTrace -> scopes -> variables (Locals of the new top frame).
// Prints median and max of each figure and of its parts, the ratio to the
// target, and which part dominates when a figure is over its target.
const { spawn } = require('node:child_process');

const TARGET_LAUNCH_MS = 300;
const TARGET_NEXT_MS = 30;

function parseArgs(argv) {
  const o = { sessions: 7, nexts: 5 };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '');
    if (i + 1 >= argv.length) throw new Error(`missing value for ${argv[i]}`);
    o[k] = argv[i + 1];
  }
  for (const k of ['wdb', 'runtime', 'program', 'source', 'line'])
    if (!o[k]) throw new Error(`--${k} is required`);
  o.line = Number(o.line);
  o.sessions = Number(o.sessions);
  o.nexts = Number(o.nexts);
  return o;
}

const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

// One `wdb --dap` child: requests are promises, events are awaited by name.
class Adapter {
  constructor(wdb) {
    this.proc = spawn(wdb, ['--dap'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.seq = 1;
    this.pending = new Map();
    this.events = [];     // {event, body, t} not yet taken
    this.waiters = [];    // {name, resolve}
    this.buf = Buffer.alloc(0);
    this.stderr = '';
    this.proc.stdout.on('data', (b) => this.onData(b));
    this.proc.stderr.on('data', (b) => { this.stderr += b.toString(); });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => {
      for (const [, p] of this.pending) p.reject(new Error(`wdb --dap ended (${code}): ${this.stderr}`));
      this.pending.clear();
      resolve(code);
    }));
  }

  onData(b) {
    this.buf = Buffer.concat([this.buf, b]);
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.buf.subarray(0, end).toString('latin1');
      const m = /Content-Length: *(\d+)/i.exec(head);
      if (!m) throw new Error(`bad header from wdb --dap: ${JSON.stringify(head)}`);
      const len = Number(m[1]);
      if (this.buf.length < end + 4 + len) return;
      const body = this.buf.subarray(end + 4, end + 4 + len).toString('utf8');
      this.buf = this.buf.subarray(end + 4 + len);
      this.onMessage(JSON.parse(body), now());
    }
  }

  onMessage(msg, t) {
    if (msg.type === 'response') {
      const p = this.pending.get(msg.request_seq);
      if (!p) return;
      this.pending.delete(msg.request_seq);
      if (msg.success) p.resolve({ body: msg.body || {}, t });
      else p.reject(new Error(`${msg.command}: ${msg.message}`));
    } else if (msg.type === 'event') {
      const e = { event: msg.event, body: msg.body || {}, t };
      const i = this.waiters.findIndex((w) => w.name === e.event);
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(e);
      else this.events.push(e);
    }
  }

  request(command, args) {
    const seq = this.seq++;
    const text = JSON.stringify({ seq, type: 'request', command, arguments: args || {} });
    const p = new Promise((resolve, reject) => this.pending.set(seq, { resolve, reject }));
    this.proc.stdin.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    return p;
  }

  // The next `name` event (one already received counts), or a failure.
  event(name, ms = 30000) {
    const i = this.events.findIndex((e) => e.event === name);
    if (i >= 0) return Promise.resolve(this.events.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const w = { name, resolve: (e) => { clearTimeout(timer); resolve(e); } };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`no ${name} event within ${ms} ms; stderr: ${this.stderr}`));
      }, ms);
      this.waiters.push(w);
    });
  }

  // Drop events already received (output, module, ...).
  forget(name) { this.events = this.events.filter((e) => e.event !== name); }
}

async function session(o, startup, launchParts, nextParts, path) {
  const s0 = now();
  const a = new Adapter(o.wdb);
  try {
    const ini = await a.request('initialize', { adapterID: 'wdb', linesStartAt1: true, columnsStartAt1: true,
                                    pathFormat: 'path' });
    startup.push(ini.t - s0);
    // (a) launch -> stopped at the breakpoint
    const t0 = now();
    const launched = await a.request('launch', { program: o.program, runtime: o.runtime });
    const init = await a.event('initialized');
    const t1 = now();
    const set = await a.request('setBreakpoints', { source: { path: o.source },
                                                    breakpoints: [{ line: o.line }] });
    const t2 = now();
    const bp = set.body.breakpoints && set.body.breakpoints[0];
    if (!bp || !bp.verified) throw new Error(`breakpoint not verified: ${JSON.stringify(set.body)}`);
    await a.request('configurationDone');
    const t3 = now();
    const stop = await a.event('stopped');
    const t4 = stop.t;
    if (stop.body.reason !== 'breakpoint') throw new Error(`stopped for ${stop.body.reason}`);
    launchParts.push({
      total: t4 - t0,
      'launch (wdb-run started, DWARF read)': launched.t - t0,
      'until initialized': Math.max(init.t, launched.t) - launched.t,
      setBreakpoints: t2 - t1,
      configurationDone: t3 - t2,
      'run to the breakpoint': t4 - t3,
    });
    let frames = await a.request('stackTrace', { threadId: 1, startFrame: 0, levels: 20 });
    path.push(`${frames.body.stackFrames[0].name}:${frames.body.stackFrames[0].line}`);

    // (b) next -> stopped -> stackTrace -> scopes -> variables(Locals)
    for (let i = 0; i < o.nexts; i++) {
      a.forget('output');
      const n0 = now();
      const resp = a.request('next', { threadId: 1 });
      const st = await a.event('stopped');
      const r = await resp;
      // a next over the call of value() in main's loop stops at the
      // breakpoint in it, as in any debugger: a stop like the others
      if (st.body.reason !== 'step' && st.body.reason !== 'breakpoint')
        throw new Error(`next stopped for ${st.body.reason}`);
      const n1 = now();
      frames = await a.request('stackTrace', { threadId: 1, startFrame: 0, levels: 20 });
      const n2 = now();
      const top = frames.body.stackFrames[0];
      const scopes = await a.request('scopes', { frameId: top.id });
      const n3 = now();
      const locals = scopes.body.scopes.find((s) => s.name === 'Locals');
      if (!locals) throw new Error(`no Locals scope: ${JSON.stringify(scopes.body)}`);
      const vars = await a.request('variables', { variablesReference: locals.variablesReference });
      const n4 = now();
      nextParts.push({
        total: n4 - n0,
        'next response': r.t - n0,
        'next -> stopped': st.t - n0,
        stackTrace: n2 - n1,
        scopes: n3 - n2,
        'variables (Locals)': n4 - n3,
      });
      if (path.length < 1 + o.nexts)
        path.push(`${top.name}:${top.line} (${vars.body.variables.length} locals)`);
    }
    await a.request('disconnect', { terminateDebuggee: true });
    await a.exited;
  } finally {
    a.proc.kill('SIGKILL');
  }
}

function median(xs) {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function report(title, rows, target, sumKeys) {
  const totals = rows.map((r) => r.total);
  const med = median(totals);
  const max = Math.max(...totals);
  console.log(`${title}: median ${med.toFixed(2)} ms, max ${max.toFixed(2)} ms, ` +
              `ratio ${(med / target).toFixed(3)} (target ${target} ms, n=${rows.length})`);
  const parts = Object.keys(rows[0]).filter((k) => k !== 'total');
  const meds = {};
  for (const k of parts) {
    meds[k] = median(rows.map((r) => r[k]));
    console.log(`  ${k.padEnd(38)} median ${meds[k].toFixed(2).padStart(8)} ms  ` +
                `max ${Math.max(...rows.map((r) => r[k])).toFixed(2).padStart(8)} ms`);
  }
  if (med > target) {
    const top = sumKeys.reduce((a, b) => (meds[a] >= meds[b] ? a : b));
    console.log(`  over target: dominated by ${top} (${meds[top].toFixed(2)} of ${med.toFixed(2)} ms)`);
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const startup = [], launchParts = [], nextParts = [], path = [];
  for (let s = 0; s < o.sessions; s++)
    await session(o, startup, launchParts, nextParts, s === 0 ? path : []);
  console.log(`(not counted) starting wdb --dap to its initialize response: median ` +
              `${median(startup).toFixed(2)} ms, max ${Math.max(...startup).toFixed(2)} ms`);
  report('(a) launch -> stopped at the first breakpoint', launchParts, TARGET_LAUNCH_MS,
         ['launch (wdb-run started, DWARF read)', 'until initialized', 'setBreakpoints',
          'configurationDone', 'run to the breakpoint']);
  report('(b) next + stackTrace + scopes + variables', nextParts, TARGET_NEXT_MS,
         ['next -> stopped', 'stackTrace', 'scopes', 'variables (Locals)']);
  console.log(`stops of the first session: ${path.join(' -> ')}`);
}

main().catch((e) => {
  console.error(`dap-bench: ${e.message}`);
  process.exit(1);
});
