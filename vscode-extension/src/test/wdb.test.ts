/*
 * The forwarder against the real `wdb --dap-ws` (label dap): what the
 * extension does when a user presses F5. Needs, from the environment (set
 * by vscode-extension/CMakeLists.txt):
 *   WDB              the wdb binary
 *   WDB_RUN          the wdb-run binary
 *   WDB_TEST_WASM    test-programs/counter.c compiled to Wasm with DWARF
 *   WDB_TEST_SOURCE  test-programs/counter.c
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';
import { DapRequest } from '../dap';
import { completeConfig, configForActiveFile } from '../config';
import { findWdb, findWdbRun } from '../discovery';
import { openForwarder, planSession } from '../session';
import { Inbox } from './helpers';

const WDB = process.env.WDB ?? '';
const WDB_RUN = process.env.WDB_RUN ?? '';
const WASM = process.env.WDB_TEST_WASM ?? '';
const SOURCE = process.env.WDB_TEST_SOURCE ?? '';
const missing = [WDB, WDB_RUN, WASM, SOURCE].some((p) => p === '' || !fs.existsSync(p));
const skip = missing ? 'WDB, WDB_RUN, WDB_TEST_WASM and WDB_TEST_SOURCE must name existing files' : false;

function breakLine(): number {
    const lines = fs.readFileSync(SOURCE, 'utf8').split('\n');
    const i = lines.findIndex((l) => l.includes('/* BREAK */'));
    assert.ok(i >= 0, 'counter.c has a BREAK line');
    return i + 1;
}

let seq = 0;
function req(command: string, args?: unknown): DapRequest {
    return { seq: ++seq, type: 'request', command, arguments: args };
}

interface Frame {
    id: number;
    name: string;
    line: number;
    source?: { path?: string };
}

test('initialize through the forwarder: wdb answers with its capabilities', { skip }, async () => {
    const inbox = new Inbox();
    const fwd = await openForwarder({ request: 'launch' }, planSession({}, WDB), { onMessage: inbox.push });
    try {
        const r = req('initialize', { clientID: 'vscode', adapterID: 'wdb', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
        fwd.send(r);
        const resp = await inbox.response(r.seq);
        assert.equal(resp.success, true, resp.message);
        const caps = resp.body as Record<string, unknown>;
        assert.equal(caps.supportsConfigurationDoneRequest, true);
        const d = req('disconnect', {});
        fwd.send(d);
        assert.equal((await inbox.response(d.seq)).success, true);
    } finally {
        fwd.dispose();
    }
});

test('F5 on counter.c: launch to a breakpoint, stopped, stack trace and a variable', { skip, timeout: 120000 }, async () => {
    /* What the extension does: resolve the configuration as for F5 on the
     * source with the module next to it (a copy in a temporary folder). */
    const tmp = fs.mkdtempSync(path.join(path.dirname(WASM), 'f5-'));
    try {
        const src = path.join(tmp, 'counter.c');
        fs.copyFileSync(SOURCE, src);
        fs.copyFileSync(WASM, path.join(tmp, 'counter.wasm'));
        const f5 = configForActiveFile({ activeFile: src, workspaceFolders: [tmp] });
        assert.ok(f5.ok, f5.ok ? '' : f5.message);
        /* The module's DWARF names the original file: map its folder to the
         * copy (a module built elsewhere, as on a build machine). */
        f5.config.sourceMap = { [path.dirname(SOURCE)]: tmp };
        const done = completeConfig(f5.config, { workspaceFolders: [tmp] });
        assert.ok(done.ok, done.ok ? '' : done.message);
        const config = done.config;
        const wdb = findWdb({ configPath: WDB });
        assert.ok(wdb.ok);
        const run = findWdbRun({ configPath: WDB_RUN, wdbPath: wdb.path });
        assert.ok(run.ok);
        config.runtime = run.path;

        const inbox = new Inbox();
        const fwd = await openForwarder(config, planSession(config, wdb.path), { onMessage: inbox.push });
        try {
            const init = req('initialize', { clientID: 'vscode', adapterID: 'wdb', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
            fwd.send(init);
            assert.equal((await inbox.response(init.seq)).success, true);
            const launch = req('launch', { ...config, __sessionId: 'test' });
            fwd.send(launch);
            await inbox.event('initialized', 30000);
            const line = breakLine();
            const sb = req('setBreakpoints', { source: { path: src }, breakpoints: [{ line }], lines: [line] });
            fwd.send(sb);
            const sbr = await inbox.response(sb.seq);
            assert.equal(sbr.success, true, sbr.message);
            const bps = (sbr.body as { breakpoints: Array<{ verified: boolean; line?: number }> }).breakpoints;
            assert.equal(bps.length, 1);
            assert.equal(bps[0].verified, true, JSON.stringify(bps));
            const cd = req('configurationDone');
            fwd.send(cd);
            assert.equal((await inbox.response(cd.seq)).success, true);
            const lr = await inbox.response(launch.seq, 30000);
            assert.equal(lr.success, true, lr.message);

            const stopped = await inbox.event('stopped', 30000);
            const sbody = stopped.body as { reason: string; threadId: number };
            assert.equal(sbody.reason, 'breakpoint');
            const st = req('stackTrace', { threadId: sbody.threadId, startFrame: 0, levels: 20 });
            fwd.send(st);
            const str = await inbox.response(st.seq);
            assert.equal(str.success, true, str.message);
            const frames = (str.body as { stackFrames: Frame[] }).stackFrames;
            assert.ok(frames.length >= 2, JSON.stringify(frames));
            assert.match(frames[0].name, /square/);
            assert.equal(frames[0].line, line);
            assert.equal(frames[0].source?.path, src, 'the path mapped by sourceMap');
            assert.match(frames[1].name, /main/);

            const sc = req('scopes', { frameId: frames[0].id });
            fwd.send(sc);
            const scopes = ((await inbox.response(sc.seq)).body as { scopes: Array<{ name: string; variablesReference: number }> }).scopes;
            assert.ok(scopes.length > 0);
            const vars: Array<{ name: string; value: string }> = [];
            for (const s of scopes) {
                const vr = req('variables', { variablesReference: s.variablesReference });
                fwd.send(vr);
                vars.push(...((await inbox.response(vr.seq)).body as { variables: Array<{ name: string; value: string }> }).variables);
            }
            const x = vars.find((v) => v.name === 'x');
            assert.ok(x, JSON.stringify(vars));
            assert.equal(x.value, '1');

            const d = req('disconnect', { terminateDebuggee: true });
            fwd.send(d);
            assert.equal((await inbox.response(d.seq, 30000)).success, true);
        } finally {
            fwd.dispose();
        }
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
});
