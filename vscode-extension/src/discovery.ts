/*
 * Finding the `wdb` and `wdb-run` executables.
 *
 * wdb: the launch configuration's "wdbPath", then the setting `wdb.path`,
 * then PATH, then the usual install prefixes (~/.local, /usr/local, /usr),
 * then a repository build (build/bin/wdb above this extension's
 * folder or in a workspace folder: developing wdb itself). A path that was
 * configured but is not executable is an error, not a reason to look
 * elsewhere: the user asked for that one.
 *
 * wdb-run (launch only; attach and core files need none): "runtime", then
 * next to wdb (where wdb itself looks first), then $WDB_RUN, then PATH.
 *
 * No `vscode` import: tests run this under Node's test runner.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface ExeFs {
    isExecutable(p: string): boolean;
}

export const nodeExeFs: ExeFs = {
    isExecutable: (p) => {
        try {
            if (!fs.statSync(p).isFile()) return false;
            fs.accessSync(p, fs.constants.X_OK);
            return true;
        } catch {
            return false;
        }
    },
};

export type Found =
    | { ok: true; path: string; source: 'config' | 'setting' | 'PATH' | 'installed' | 'repository' | 'next to wdb' | 'WDB_RUN' }
    | { ok: false; message: string };

/* name in PATH (a ':'-separated list; empty entries mean the current
 * directory, which we skip on purpose). */
export function searchPath(name: string, envPath: string | undefined, fsx: ExeFs = nodeExeFs): string | undefined {
    for (const dir of (envPath ?? '').split(path.delimiter)) {
        if (!dir) continue;
        const p = path.join(dir, name);
        if (fsx.isExecutable(p)) return p;
    }
    return undefined;
}

/* Expands a leading ~ (settings are written by hand). */
export function expandHome(p: string, home: string | undefined): string {
    if (home && (p === '~' || p.startsWith('~/'))) return path.join(home, p.slice(1));
    return p;
}

export interface WdbSearch {
    /* "wdbPath" of the launch configuration. */
    configPath?: string;
    /* The setting wdb.path. */
    settingPath?: string;
    envPath?: string;
    home?: string;
    /* This extension's folder (vscode-extension/ of a checkout, when
     * developing). */
    extensionPath?: string;
    workspaceFolders?: readonly string[];
    fsx?: ExeFs;
}

const INSTALL_HINT =
    'install it (in a clone: bash scripts/build.sh, then cmake --install build --prefix ~/.local ' +
    'or /usr/local; see the README, "Install") or put build/bin/wdb in PATH, ' +
    'or set "wdb.path" in the settings (or "wdbPath" in the launch configuration)';

/* Where `cmake --install` puts wdb with the usual prefixes, for an editor
 * started without them in PATH (from a desktop menu, say). */
function installedCandidates(s: WdbSearch): string[] {
    const c: string[] = [];
    if (s.home) c.push(path.join(s.home, '.local', 'bin', 'wdb'));
    c.push('/usr/local/bin/wdb', '/usr/bin/wdb');
    return c;
}

/* Candidate repository builds: <checkout>/build/bin/wdb for the checkout
 * holding the extension and for each workspace folder. */
function repositoryCandidates(s: WdbSearch): string[] {
    const roots: string[] = [];
    if (s.extensionPath) roots.push(path.dirname(s.extensionPath));
    for (const f of s.workspaceFolders ?? []) roots.push(f);
    return roots.map((r) => path.join(r, 'build', 'bin', 'wdb'));
}

export function findWdb(s: WdbSearch): Found {
    const fsx = s.fsx ?? nodeExeFs;
    const configured: Array<[string | undefined, 'config' | 'setting', string]> = [
        [s.configPath, 'config', '"wdbPath" in the launch configuration'],
        [s.settingPath, 'setting', 'the setting "wdb.path"'],
    ];
    for (const [p, source, what] of configured) {
        if (p === undefined || p.trim() === '') continue;
        const full = expandHome(p.trim(), s.home);
        if (fsx.isExecutable(full)) return { ok: true, path: full, source };
        return { ok: false, message: `wdb: ${full} (${what}) is not an executable file: fix the path, or ${INSTALL_HINT}.` };
    }
    const inPath = searchPath('wdb', s.envPath, fsx);
    if (inPath) return { ok: true, path: inPath, source: 'PATH' };
    for (const c of installedCandidates(s)) {
        if (fsx.isExecutable(c)) return { ok: true, path: c, source: 'installed' };
    }
    for (const c of repositoryCandidates(s)) {
        if (fsx.isExecutable(c)) return { ok: true, path: c, source: 'repository' };
    }
    return { ok: false, message: `wdb: the debugger "wdb" was not found in PATH: ${INSTALL_HINT}.` };
}

export interface RuntimeSearch {
    /* "runtime" of the launch configuration. */
    configPath?: string;
    /* The wdb that will run (wdb-run is looked for next to it). */
    wdbPath: string;
    envWdbRun?: string;
    envPath?: string;
    home?: string;
    fsx?: ExeFs;
}

export function findWdbRun(s: RuntimeSearch): Found {
    const fsx = s.fsx ?? nodeExeFs;
    if (s.configPath !== undefined && s.configPath.trim() !== '') {
        const full = expandHome(s.configPath.trim(), s.home);
        if (fsx.isExecutable(full)) return { ok: true, path: full, source: 'config' };
        return {
            ok: false,
            message: `wdb: the runtime ${full} ("runtime" in the launch configuration) is not an executable file.`,
        };
    }
    const next = path.join(path.dirname(s.wdbPath), 'wdb-run');
    if (fsx.isExecutable(next)) return { ok: true, path: next, source: 'next to wdb' };
    if (s.envWdbRun && fsx.isExecutable(s.envWdbRun)) return { ok: true, path: s.envWdbRun, source: 'WDB_RUN' };
    const inPath = searchPath('wdb-run', s.envPath, fsx);
    if (inPath) return { ok: true, path: inPath, source: 'PATH' };
    return {
        ok: false,
        message:
            `wdb: the runtime "wdb-run" was not found (not next to ${s.wdbPath}, not in $WDB_RUN or PATH): ` +
            'put it in PATH or set "runtime" in the launch configuration to its path.',
    };
}
