/* Configuration resolution: the module for a source file, the message when
 * there is none, defaults and checks. Real files in a temporary folder. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { after, test } from 'node:test';
import {
    ascOutFile,
    cargoPackageName,
    completeConfig,
    configForActiveFile,
    findWasmForSource,
    isEmptyConfig,
    normalizeSourceMap,
} from '../config';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wdb-vsc-config-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function write(rel: string, text = ''): string {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
}

test('F5 on a .c file with its .wasm next to it launches that module', () => {
    const src = write('a/hello.c', 'int main(void){return 0;}\n');
    const wasm = write('a/hello.wasm');
    write('a/other.wasm');
    const r = configForActiveFile({ activeFile: src, workspaceFolders: [root] });
    assert.ok(r.ok);
    assert.equal(r.config.type, 'wdb');
    assert.equal(r.config.request, 'launch');
    assert.equal(r.config.program, wasm);
    assert.equal(r.config.cwd, path.dirname(wasm));
    assert.deepEqual(r.config.args, []);
});

test('a module of the same name elsewhere in the workspace: the nearest one', () => {
    const src = write('b/src/calc.c');
    write('zzz/far/away/calc.wasm');
    const near = write('b/build/calc.wasm');
    const s = findWasmForSource(src, [root]);
    assert.equal(s.found, near);
    assert.equal(s.candidates.length, 2);
});

test('a module of the same name in a folder the walk skips is not used', () => {
    const ws = fs.mkdtempSync(path.join(root, 'ws-'));
    const src = path.join(ws, 'x.c');
    fs.writeFileSync(src, '');
    fs.mkdirSync(path.join(ws, 'node_modules'));
    fs.writeFileSync(path.join(ws, 'node_modules', 'x.wasm'), '');
    const r = configForActiveFile({ activeFile: src, workspaceFolders: [ws] });
    assert.equal(r.ok, false);
});

test('no module: one clear message saying what to build or add', () => {
    const ws = fs.mkdtempSync(path.join(root, 'empty-'));
    const src = path.join(ws, 'prog.c');
    fs.writeFileSync(src, '');
    const r = configForActiveFile({ activeFile: src, workspaceFolders: [ws] });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.match(r.message, /no WebAssembly module for prog\.c/);
    assert.ok(r.message.includes(path.join(ws, 'prog.wasm')), r.message);
    assert.match(r.message, /clang-22 --target=wasm32-wasi -g -O0 prog\.c -o prog\.wasm/);
    assert.match(r.message, /"program"/);
    assert.match(r.message, /\.vscode\/launch\.json/);
});

test('no module of that name but several others: listed in the message', () => {
    const ws = fs.mkdtempSync(path.join(root, 'many-'));
    const src = path.join(ws, 'main.c');
    fs.writeFileSync(src, '');
    fs.writeFileSync(path.join(ws, 'a.wasm'), '');
    fs.writeFileSync(path.join(ws, 'b.wasm'), '');
    const r = configForActiveFile({ activeFile: src, workspaceFolders: [ws] });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.message, /Modules found: .*a\.wasm, .*b\.wasm/);
});

test('the only module of a workspace is used (Rust: target/wasm32-wasip1/debug/crate.wasm)', () => {
    const ws = fs.mkdtempSync(path.join(root, 'rust-'));
    const src = path.join(ws, 'src', 'main.rs');
    fs.mkdirSync(path.dirname(src));
    fs.writeFileSync(src, '');
    const wasm = path.join(ws, 'target', 'wasm32-wasip1', 'debug', 'crate.wasm');
    fs.mkdirSync(path.dirname(wasm), { recursive: true });
    fs.writeFileSync(wasm, '');
    const r = configForActiveFile({ activeFile: src, workspaceFolders: [ws] });
    assert.ok(r.ok);
    assert.equal(r.config.program, wasm);
});

test('Rust: the .wasm named like the .rs next to it', () => {
    const ws = fs.mkdtempSync(path.join(root, 'rs-'));
    const src = path.join(ws, 'values.rs');
    fs.writeFileSync(src, '');
    const wasm = path.join(ws, 'values.wasm');
    fs.writeFileSync(wasm, '');
    fs.writeFileSync(path.join(ws, 'other.wasm'), '');
    const r = configForActiveFile({ activeFile: src, workspaceFolders: [ws] });
    assert.ok(r.ok);
    assert.equal(r.config.program, wasm);
    assert.equal(r.config.cwd, ws);
});

test("Rust: a crate's module by its Cargo.toml package name, among others", () => {
    const ws = fs.mkdtempSync(path.join(root, 'crate-'));
    fs.writeFileSync(
        path.join(ws, 'Cargo.toml'),
        '[package]\nname = "my-app" # the crate\nversion = "0.1.0"\n\n[dependencies]\nname = "x"\n',
    );
    const src = path.join(ws, 'src', 'main.rs');
    fs.mkdirSync(path.dirname(src));
    fs.writeFileSync(src, '');
    const dbg = path.join(ws, 'target', 'wasm32-wasip1', 'debug');
    fs.mkdirSync(dbg, { recursive: true });
    fs.writeFileSync(path.join(dbg, 'helper.wasm'), '');
    const wasm = path.join(dbg, 'my-app.wasm');
    fs.writeFileSync(wasm, '');
    const r = configForActiveFile({ activeFile: src, workspaceFolders: [ws] });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.equal(r.config.program, wasm);
});

test('cargoPackageName: the [package] name only; malformed: none', () => {
    assert.equal(cargoPackageName('[package]\nname = "a-b"\n'), 'a-b');
    assert.equal(cargoPackageName('[dependencies]\nname = "x"\n'), undefined);
    assert.equal(cargoPackageName('[package\nname = "x"'), undefined);
    assert.equal(cargoPackageName(''), undefined);
});

test('AssemblyScript: the .wasm asc wrote next to the .ts', () => {
    const ws = fs.mkdtempSync(path.join(root, 'asc-'));
    const src = path.join(ws, 'shapes.ts');
    fs.writeFileSync(src, '');
    fs.writeFileSync(path.join(ws, 'io.ts'), '');
    const wasm = path.join(ws, 'shapes.wasm');
    fs.writeFileSync(wasm, '');
    fs.writeFileSync(path.join(ws, 'trap.wasm'), '');
    const r = configForActiveFile({ activeFile: src, workspaceFolders: [ws] });
    assert.ok(r.ok);
    assert.equal(r.config.program, wasm);
});

test("AssemblyScript: an asconfig.json's debug outFile", () => {
    const ws = fs.mkdtempSync(path.join(root, 'ascproj-'));
    fs.writeFileSync(
        path.join(ws, 'asconfig.json'),
        JSON.stringify({ targets: { debug: { outFile: 'build/debug.wasm' }, release: { outFile: 'build/release.wasm' } } }),
    );
    const src = path.join(ws, 'assembly', 'index.ts');
    fs.mkdirSync(path.dirname(src));
    fs.writeFileSync(src, '');
    fs.mkdirSync(path.join(ws, 'build'));
    const wasm = path.join(ws, 'build', 'debug.wasm');
    fs.writeFileSync(wasm, '');
    fs.writeFileSync(path.join(ws, 'build', 'release.wasm'), '');
    const r = configForActiveFile({ activeFile: src, workspaceFolders: [ws] });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.equal(r.config.program, wasm);
    assert.equal(ascOutFile('{not json', ws), undefined);
    assert.equal(ascOutFile('[]', ws), undefined);
    assert.equal(ascOutFile('{"options":{"outFile":"out.wasm"}}', ws), path.join(ws, 'out.wasm'));
});

test('AssemblyScript without a module: the asc command to build it', () => {
    const ws = fs.mkdtempSync(path.join(root, 'ascnone-'));
    const src = path.join(ws, 'main.ts');
    fs.writeFileSync(src, '');
    fs.writeFileSync(path.join(ws, 'asconfig.json'), '{ broken');
    const r = configForActiveFile({ activeFile: src, workspaceFolders: [ws] });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.message, /no WebAssembly module for main\.ts.*asc main\.ts --debug --sourceMap -o main\.wasm/);
});

test('an active file that is no source: what to do', () => {
    const r = configForActiveFile({ activeFile: write('notes.txt'), workspaceFolders: [root] });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.message, /open a C, C\+\+, Rust or AssemblyScript source file/);
    assert.equal(configForActiveFile({ workspaceFolders: [root] }).ok, false);
});

test('isEmptyConfig: only the empty configuration of F5 without launch.json', () => {
    assert.equal(isEmptyConfig({}), true);
    assert.equal(isEmptyConfig({ noDebug: false }), true);
    assert.equal(isEmptyConfig({ type: 'wdb', request: 'launch', name: 'x' }), false);
});

test('launch defaults: cwd is the module folder, args/env/stopOnEntry/sourceMap filled', () => {
    const wasm = write('c/app.wasm');
    const r = completeConfig({ type: 'wdb', request: 'launch', name: 'x', program: 'c/app.wasm' }, { workspaceFolders: [root] });
    assert.ok(r.ok);
    assert.equal(r.config.program, wasm);
    assert.equal(r.config.cwd, path.dirname(wasm));
    assert.deepEqual(r.config.args, []);
    assert.deepEqual(r.config.env, {});
    assert.equal(r.config.stopOnEntry, false);
    assert.deepEqual(r.config.sourceMap, {});
    assert.deepEqual(r.config.sourceSearchPath, [path.dirname(wasm), root]);
    const given = completeConfig({ request: 'launch', program: wasm, sourceSearchPath: 'src' }, { workspaceFolders: [root] });
    assert.ok(given.ok);
    assert.deepEqual(given.config.sourceSearchPath, [path.join(root, 'src')]);
    assert.equal(completeConfig({ request: 'launch', program: wasm, sourceSearchPath: 3 }, { workspaceFolders: [root] }).ok, false);
    const attach = completeConfig({ request: 'attach', port: 1234 }, { workspaceFolders: [root] });
    assert.ok(attach.ok);
    assert.deepEqual(attach.config.sourceSearchPath, [root]);
});

test('sourceMap: object or [FROM, TO] pairs, TO made absolute against the folder', () => {
    const a = normalizeSourceMap({ '/build': 'src' }, '/ws');
    assert.deepEqual(a, { ok: true, map: { '/build': path.resolve('/ws', 'src') } });
    const b = normalizeSourceMap([['/b1', '/x'], ['/b2', 'y']], '/ws');
    assert.deepEqual(b, { ok: true, map: { '/b1': '/x', '/b2': path.resolve('/ws', 'y') } });
    const bad = normalizeSourceMap(['/only-one'], '/ws');
    assert.equal(bad.ok, false);
    assert.equal(normalizeSourceMap({ '/a': 3 }, '/ws').ok, false);
});

test('launch checks: missing program, missing file, bad types', () => {
    const ctx = { workspaceFolders: [root] };
    const none = completeConfig({ type: 'wdb', request: 'launch', name: 'x' }, ctx);
    assert.equal(none.ok, false);
    if (!none.ok) assert.match(none.message, /needs "program"/);
    const missing = completeConfig({ request: 'launch', program: path.join(root, 'nope.wasm') }, ctx);
    assert.equal(missing.ok, false);
    if (!missing.ok) assert.match(missing.message, /nope\.wasm does not exist/);
    const wasm = write('d/app.wasm');
    assert.equal(completeConfig({ request: 'launch', program: wasm, args: 'a b' }, ctx).ok, false);
    assert.equal(completeConfig({ request: 'launch', program: wasm, env: { A: 1 } }, ctx).ok, false);
    assert.equal(completeConfig({ request: 'launch', program: wasm, cwd: path.join(root, 'no-dir') }, ctx).ok, false);
    const core = completeConfig({ request: 'launch', program: wasm, coreFile: 'd/core' }, ctx);
    assert.equal(core.ok, false);
    if (!core.ok) assert.match(core.message, /core file .* does not exist/);
    const trace = completeConfig({ request: 'launch', program: wasm, replay: 'd/run.trace' }, ctx);
    assert.equal(trace.ok, false);
    if (!trace.ok) assert.match(trace.message, /trace .*run\.trace does not exist .*WDB_RECORD/);
    const traceFile = write('d/run.trace');
    const replayed = completeConfig({ request: 'launch', program: wasm, replay: 'd/run.trace' }, ctx);
    assert.ok(replayed.ok);
    if (replayed.ok) assert.equal(replayed.config.replay, traceFile);
    assert.equal(completeConfig({ request: 'launch', program: wasm, replay: 7 }, ctx).ok, false);
    assert.equal(completeConfig({ request: 'debug', program: wasm }, ctx).ok, false);
});

test('attach: port required and checked, host defaults to loopback', () => {
    const ctx = { workspaceFolders: [root] };
    const noPort = completeConfig({ request: 'attach' }, ctx);
    assert.equal(noPort.ok, false);
    if (!noPort.ok) assert.match(noPort.message, /needs "port".*-g=ADDR:PORT/);
    assert.equal(completeConfig({ request: 'attach', port: 70000 }, ctx).ok, false);
    const r = completeConfig({ request: 'attach', port: '1234' }, ctx);
    assert.ok(r.ok);
    assert.equal(r.config.port, 1234);
    assert.equal(r.config.host, '127.0.0.1');
});

test('attach over a serial port: the device must exist, the baud rate is checked, no port needed', () => {
    const ctx = { workspaceFolders: [root] };
    const tty = path.join(root, 'ttyFAKE0');
    fs.writeFileSync(tty, '');
    const r = completeConfig({ request: 'attach', serialPort: tty, baudRate: '115200' }, ctx);
    assert.ok(r.ok);
    if (r.ok) {
        assert.equal(r.config.baudRate, 115200);
        assert.equal(r.config.port, undefined);
    }
    const missing = completeConfig({ request: 'attach', serialPort: path.join(root, 'ttyNONE') }, ctx);
    assert.equal(missing.ok, false);
    if (!missing.ok) assert.match(missing.message, /serial port .* does not exist/);
    assert.equal(completeConfig({ request: 'attach', serialPort: tty, baudRate: 9.5 }, ctx).ok, false);
    assert.equal(completeConfig({ request: 'attach', serialPort: tty, baudRate: 0 }, ctx).ok, false);
    assert.equal(completeConfig({ request: 'attach', serialPort: tty, port: 1234 }, ctx).ok, false);
    assert.equal(completeConfig({ request: 'attach', serialPort: '' }, ctx).ok, false);
});

test('bridgeUrl: a ws:// URL with a token; remote paths are not checked here', () => {
    const ctx = { workspaceFolders: [root] };
    const noToken = completeConfig({ request: 'launch', program: '/remote/app.wasm', bridgeUrl: 'ws://10.0.0.2:4711' }, ctx);
    assert.equal(noToken.ok, false);
    if (!noToken.ok) assert.match(noToken.message, /needs the "token"/);
    assert.equal(completeConfig({ request: 'launch', program: '/r.wasm', bridgeUrl: 'http://x', token: 't' }, ctx).ok, false);
    const r = completeConfig({ request: 'launch', program: '/remote/app.wasm', bridgeUrl: 'ws://10.0.0.2:4711', token: 'secret-token-123456' }, ctx);
    assert.ok(r.ok);
});
