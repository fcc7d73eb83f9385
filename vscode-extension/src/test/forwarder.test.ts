/*
 * The forwarder against a fake `wdb`: an executable script that behaves like
 * `wdb --dap-ws` (the listening line on stderr, a websocket server on a free
 * loopback port that wants `Authorization: Bearer $WDB_DAP_TOKEN`) and
 * answers a few requests, crashes, hangs or closes on command.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { after, test } from 'node:test';
import { DapRequest } from '../dap';
import { DapForwarder, LineTail, LocalServer, parseListenLine, spawnWdbServer } from '../forwarder';
import { openForwarder, responseRewriter } from '../session';
import { probeTcp } from '../net';
import { Inbox, sleep } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wdb-vsc-fwd-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const FAKE = `#!${process.execPath}
'use strict';
const { WebSocketServer } = require(${JSON.stringify(require.resolve('ws'))});
const mode = process.env.FAKE_MODE || 'ok';
process.stderr.write('fake wdb: argv ' + JSON.stringify(process.argv.slice(2)) + '\\n');
if (mode === 'exit') {
    process.stderr.write("wdb: unknown option '--dap-ws=127.0.0.1:0'\\n");
    process.exit(2);
}
if (mode === 'silent') {
    setInterval(() => {}, 1000);
    return;
}
const token = process.env.WDB_DAP_TOKEN;
const wss = new WebSocketServer({
    host: '127.0.0.1', port: 0,
    verifyClient: (info, cb) => cb(info.req.headers.authorization === 'Bearer ' + token, 401),
});
let seq = 0;
wss.on('listening', () => {
    process.stderr.write('wdb: DAP websocket server on ws://127.0.0.1:' + wss.address().port + ' (token required)\\n');
});
wss.on('connection', (ws) => {
    const send = (m) => ws.send(JSON.stringify({ seq: ++seq, ...m }));
    const reply = (req, extra) => send({ type: 'response', request_seq: req.seq, command: req.command, success: true, ...extra });
    ws.on('message', (data) => {
        const req = JSON.parse(data.toString());
        switch (req.command) {
        case 'initialize':
            reply(req, { body: { supportsConfigurationDoneRequest: true } });
            send({ type: 'event', event: 'initialized' });
            break;
        case 'launch':
            if (req.arguments && 'token' in req.arguments) reply(req, { success: false, message: 'token leaked' });
            else reply(req, { body: { keys: Object.keys(req.arguments || {}) } });
            break;
        case 'attach':
            if (req.arguments && req.arguments.port === 1) reply(req, { success: false, message: 'connection refused' });
            else setTimeout(() => reply(req), 600); /* too late for a short timeout */
            break;
        case 'crash':
            process.stderr.write('fake wdb: crashing\\n');
            process.exit(3);
            break;
        case 'close':
            ws.close(1011, 'closing on request');
            break;
        case 'disconnect':
            send({ type: 'event', event: 'terminated' });
            reply(req);
            ws.close(1000);
            break;
        default:
            reply(req, { success: false, message: 'unknown request' });
        }
    });
});
process.on('SIGTERM', () => { process.stderr.write('fake wdb: SIGTERM\\n'); process.exit(0); });
`;
const fakeWdb = path.join(dir, 'wdb');
fs.writeFileSync(fakeWdb, FAKE, { mode: 0o755 });

let seq = 0;
function req(command: string, args?: unknown): DapRequest {
    return { seq: ++seq, type: 'request', command, arguments: args };
}

async function start(mode = 'ok'): Promise<{ server: LocalServer; fwd: DapForwarder; inbox: Inbox }> {
    process.env.FAKE_MODE = mode;
    const server = await spawnWdbServer({ wdbPath: fakeWdb, extraArgs: ['--runtime=/x/wdb-run'] });
    const inbox = new Inbox();
    const fwd = await DapForwarder.connect(server.url, server.token, { onMessage: inbox.push, server });
    return { server, fwd, inbox };
}

test('parseListenLine reads the URL of wdb\'s line', () => {
    assert.equal(parseListenLine('wdb: DAP websocket server on ws://127.0.0.1:41234 (token required)'), 'ws://127.0.0.1:41234');
    assert.equal(parseListenLine('wdb: DAP websocket server on ws://[::1]:5 (token required)'), 'ws://[::1]:5');
    assert.equal(parseListenLine('wdb: DAP websocket: refused a connection'), undefined);
});

test('LineTail keeps the last lines, partial line included', () => {
    const t = new LineTail(2);
    assert.deepEqual(t.push('a\nb\r\nc'), ['a', 'b']);
    assert.deepEqual(t.push('\nd'), ['c']);
    assert.equal(t.text(), 'b\nc\nd');
});

test('initialize through the forwarder: capabilities come back; token in the environment only', async () => {
    const { server, fwd, inbox } = await start();
    try {
        const r = req('initialize', { adapterID: 'wdb', linesStartAt1: true });
        fwd.send(r);
        const resp = await inbox.response(r.seq);
        assert.equal(resp.success, true);
        assert.deepEqual(resp.body, { supportsConfigurationDoneRequest: true });
        await inbox.event('initialized');
        assert.match(server.tail.text(), /argv \["--dap-ws=127\.0\.0\.1:0","--runtime=\/x\/wdb-run"\]/);
        assert.ok(!server.tail.text().includes(server.token));
    } finally {
        fwd.dispose();
    }
    const e = await server.exited;
    assert.equal(e.code, 0, 'dispose stops wdb with SIGTERM');
});

test('the token of a launch configuration is not sent to wdb', async () => {
    const { fwd, inbox } = await start();
    try {
        const r = req('launch', { program: '/a.wasm', token: 'secret', bridgeUrl: 'ws://x' });
        fwd.send(r);
        const resp = await inbox.response(r.seq);
        assert.equal(resp.success, true, resp.message);
        assert.deepEqual(resp.body, { keys: ['program', 'bridgeUrl'] });
    } finally {
        fwd.dispose();
    }
});

test('wdb dies: open requests fail, the reason and its stderr go to the console, then terminated', async () => {
    const { fwd, inbox } = await start();
    try {
        const r = req('crash');
        fwd.send(r);
        const resp = await inbox.response(r.seq);
        assert.equal(resp.success, false);
        assert.match(resp.message ?? '', /wdb exited with status 3/);
        const out = await inbox.event('output');
        const body = out.body as { category: string; output: string };
        assert.equal(body.category, 'stderr');
        assert.match(body.output, /wdb exited with status 3:\n[^]*fake wdb: crashing/);
        await inbox.event('terminated');
        /* afterwards requests are answered here: disconnect succeeds */
        const d = req('disconnect');
        fwd.send(d);
        assert.equal((await inbox.response(d.seq)).success, true);
        const t = req('threads');
        fwd.send(t);
        assert.equal((await inbox.response(t.seq)).success, false);
        assert.equal(inbox.events('terminated').length, 1);
    } finally {
        fwd.dispose();
    }
});

test('wdb closes the connection but keeps running: output + terminated', async () => {
    const { server, fwd, inbox } = await start();
    try {
        fwd.send(req('close'));
        const out = await inbox.event('output');
        assert.match((out.body as { output: string }).output, /connection to wdb closed \(code 1011: closing on request\)/);
        await inbox.event('terminated');
        assert.equal(server.exitInfo(), undefined);
    } finally {
        fwd.dispose();
    }
    await server.exited;
});

test('a normal end (terminated, disconnect) adds nothing', async () => {
    const { fwd, inbox } = await start();
    try {
        const d = req('disconnect', { terminateDebuggee: true });
        fwd.send(d);
        assert.equal((await inbox.response(d.seq)).success, true);
        await sleep(300);
        assert.equal(inbox.events('terminated').length, 1);
        assert.equal(inbox.events('output').length, 0);
    } finally {
        fwd.dispose();
    }
});

test('a wrong token is refused with a clear message', async () => {
    process.env.FAKE_MODE = 'ok';
    const server = await spawnWdbServer({ wdbPath: fakeWdb });
    try {
        await assert.rejects(
            DapForwarder.connect(server.url, 'not-the-token', { onMessage: () => undefined }),
            /did not accept the connection: the token was refused/,
        );
    } finally {
        server.child.kill();
    }
});

test('a wdb without --dap-ws: its message and a hint', async () => {
    process.env.FAKE_MODE = 'exit';
    await assert.rejects(spawnWdbServer({ wdbPath: fakeWdb }), (e: Error) => {
        assert.match(e.message, /wdb exited with status 2 before its DAP server listened/);
        assert.match(e.message, /older than its DAP server/);
        assert.match(e.message, /unknown option/);
        return true;
    });
});

test('a wdb that never listens is killed after the start timeout', async () => {
    process.env.FAKE_MODE = 'silent';
    await assert.rejects(spawnWdbServer({ wdbPath: fakeWdb, startTimeoutMs: 700 }), /did not start its DAP server within 0\.7 s/);
});

test('wdb missing: says so', async () => {
    await assert.rejects(spawnWdbServer({ wdbPath: path.join(dir, 'no-such-wdb') }), /wdb not found: .*no-such-wdb does not exist/);
});

test('attach: no answer in time becomes an error with the hint; the late answer is dropped', async () => {
    process.env.FAKE_MODE = 'ok';
    const inbox = new Inbox();
    const config = { request: 'attach', host: '127.0.0.1', port: 4321, timeout: 0.2 };
    const fwd = await openForwarder(config, { kind: 'local', wdbPath: fakeWdb, extraArgs: [] }, { onMessage: inbox.push });
    try {
        const a = req('attach', config);
        fwd.send(a);
        const resp = await inbox.response(a.seq);
        assert.equal(resp.success, false);
        assert.match(resp.message ?? '', /no answer from the device at 127\.0\.0\.1:4321 after 0\.2 s/);
        assert.match(resp.message ?? '', /wdb-run -g=127\.0\.0\.1:4321/);
        await sleep(800);
        assert.equal(inbox.all.filter((m) => m.type === 'response').length, 1);
    } finally {
        fwd.dispose();
    }
});

test('attach refused by wdb: the hint is added to its message', async () => {
    process.env.FAKE_MODE = 'ok';
    const inbox = new Inbox();
    const config = { request: 'attach', host: '127.0.0.1', port: 1 };
    const fwd = await openForwarder(config, { kind: 'local', wdbPath: fakeWdb, extraArgs: [] }, { onMessage: inbox.push });
    try {
        const a = req('attach', config);
        fwd.send(a);
        const resp = await inbox.response(a.seq);
        assert.match(resp.message ?? '', /^connection refused\. Is wdb-run listening on 127\.0\.0\.1:1\?/);
    } finally {
        fwd.dispose();
    }
    const ok = responseRewriter(config)({ seq: 1, type: 'response', request_seq: 1, command: 'attach', success: true });
    assert.equal(ok.message, undefined);
});

test('bridgeUrl: a remote server that is not there is reported before connecting', async () => {
    const probe = await probeTcp('127.0.0.1', 1, 2000);
    assert.equal(probe.ok, false);
    await assert.rejects(
        openForwarder({ request: 'launch' }, { kind: 'remote', url: 'ws://127.0.0.1:1', token: 't' }, { onMessage: () => undefined }),
        /DAP server at ws:\/\/127\.0\.0\.1:1 is unreachable: cannot connect to 127\.0\.0\.1:1: nothing is listening there/,
    );
});

test('bridgeUrl: a remote server with its token works like a local one', async () => {
    process.env.FAKE_MODE = 'ok';
    const server = await spawnWdbServer({ wdbPath: fakeWdb });
    const inbox = new Inbox();
    try {
        const fwd = await openForwarder({ request: 'launch' }, { kind: 'remote', url: server.url, token: server.token }, { onMessage: inbox.push });
        const r = req('initialize');
        fwd.send(r);
        assert.equal((await inbox.response(r.seq)).success, true);
        fwd.dispose();
        await sleep(100);
        assert.equal(server.exitInfo(), undefined, 'a remote wdb is not ours to stop');
    } finally {
        server.child.kill();
    }
});
