/* Finding wdb and wdb-run: the order and the messages. A fake file system
 * (a set of executable paths). */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'node:test';
import { ExeFs, findWdb, findWdbRun, nodeExeFs, searchPath } from '../discovery';

function fakeFs(...exes: string[]): ExeFs {
    const set = new Set(exes);
    return { isExecutable: (p) => set.has(p) };
}

test('the launch configuration wins, then the setting, then PATH, then a repository build', () => {
    const all = fakeFs('/cfg/wdb', '/set/wdb', '/opt/bin/wdb', '/repo/build/bin/wdb');
    const base = { envPath: '/usr/local/bin:/opt/bin', extensionPath: '/repo/vscode-extension', fsx: all };
    assert.deepEqual(findWdb({ ...base, configPath: '/cfg/wdb', settingPath: '/set/wdb' }), { ok: true, path: '/cfg/wdb', source: 'config' });
    assert.deepEqual(findWdb({ ...base, settingPath: '/set/wdb' }), { ok: true, path: '/set/wdb', source: 'setting' });
    assert.deepEqual(findWdb({ ...base, settingPath: '  ' }), { ok: true, path: '/opt/bin/wdb', source: 'PATH' });
    const noPath = { ...base, envPath: '/nowhere' };
    assert.deepEqual(findWdb(noPath), { ok: true, path: '/repo/build/bin/wdb', source: 'repository' });
    const ws = findWdb({ envPath: '', workspaceFolders: ['/w1', '/repo'], fsx: all });
    assert.deepEqual(ws, { ok: true, path: '/repo/build/bin/wdb', source: 'repository' });
});

test('not in PATH: the usual install prefixes, before a repository build', () => {
    const f = fakeFs('/home/u/.local/bin/wdb', '/usr/local/bin/wdb', '/repo/build/bin/wdb');
    const base = { envPath: '/nowhere', extensionPath: '/repo/vscode-extension', fsx: f };
    assert.deepEqual(findWdb({ ...base, home: '/home/u' }), { ok: true, path: '/home/u/.local/bin/wdb', source: 'installed' });
    assert.deepEqual(findWdb(base), { ok: true, path: '/usr/local/bin/wdb', source: 'installed' });
    const repoOnly = { ...base, fsx: fakeFs('/repo/build/bin/wdb') };
    assert.deepEqual(findWdb(repoOnly), { ok: true, path: '/repo/build/bin/wdb', source: 'repository' });
});

test('a configured path that is not executable is an error naming it', () => {
    const r = findWdb({ settingPath: '/opt/wdb/bin/wdb', envPath: '/usr/bin', fsx: fakeFs('/usr/bin/wdb') });
    assert.equal(r.ok, false);
    if (!r.ok) {
        assert.match(r.message, /\/opt\/wdb\/bin\/wdb \(the setting "wdb\.path"\) is not an executable file/);
    }
    const home = findWdb({ settingPath: '~/bin/wdb', home: '/home/u', fsx: fakeFs('/home/u/bin/wdb') });
    assert.deepEqual(home, { ok: true, path: '/home/u/bin/wdb', source: 'setting' });
});

test('wdb nowhere: what to do', () => {
    const r = findWdb({ envPath: '/usr/bin', fsx: fakeFs() });
    assert.equal(r.ok, false);
    if (!r.ok) {
        assert.match(r.message, /"wdb" was not found in PATH/);
        assert.match(r.message, /cmake --install build/);
        assert.match(r.message, /wdb\.path/);
    }
});

test('wdb-run: "runtime", then next to wdb, then $WDB_RUN, then PATH', () => {
    const f = fakeFs('/cfg/wdb-run', '/b/bin/wdb-run', '/env/wdb-run', '/usr/bin/wdb-run');
    const base = { wdbPath: '/b/bin/wdb', envPath: '/usr/bin', envWdbRun: '/env/wdb-run', fsx: f };
    assert.deepEqual(findWdbRun({ ...base, configPath: '/cfg/wdb-run' }), { ok: true, path: '/cfg/wdb-run', source: 'config' });
    assert.deepEqual(findWdbRun(base), { ok: true, path: '/b/bin/wdb-run', source: 'next to wdb' });
    assert.deepEqual(findWdbRun({ ...base, wdbPath: '/x/wdb' }), { ok: true, path: '/env/wdb-run', source: 'WDB_RUN' });
    assert.deepEqual(findWdbRun({ ...base, wdbPath: '/x/wdb', envWdbRun: undefined }), { ok: true, path: '/usr/bin/wdb-run', source: 'PATH' });
    const none = findWdbRun({ wdbPath: '/x/wdb', envPath: '/usr/bin', fsx: fakeFs() });
    assert.equal(none.ok, false);
    if (!none.ok) assert.match(none.message, /"wdb-run" was not found .*set "runtime"/);
    const bad = findWdbRun({ ...base, configPath: '/missing/wdb-run' });
    assert.equal(bad.ok, false);
});

test('searchPath and nodeExeFs on real files: only executable regular files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wdb-vsc-disc-'));
    try {
        const exe = path.join(dir, 'wdb');
        fs.writeFileSync(exe, '#!/bin/sh\n');
        fs.chmodSync(exe, 0o644);
        assert.equal(searchPath('wdb', dir), undefined);
        fs.chmodSync(exe, 0o755);
        assert.equal(searchPath('wdb', `:${dir}`), exe);
        fs.mkdirSync(path.join(dir, 'sub', 'wdb'), { recursive: true });
        assert.equal(nodeExeFs.isExecutable(path.join(dir, 'sub', 'wdb')), false);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});
