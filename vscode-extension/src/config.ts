/*
 * Launch and attach configurations of the `wdb` debugger type: filling one
 * in for a user who pressed F5 on a source file without a launch.json,
 * defaults, and checks whose failures become one clear message.
 *
 * No `vscode` import: the file system is reached through FsLike so tests
 * can run it under Node's test runner on temporary directories.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isRecord } from './dap';

export interface FsLike {
    exists(p: string): boolean;
    isFile(p: string): boolean;
    isDirectory(p: string): boolean;
    readdir(p: string): string[];
    mtimeMs(p: string): number;
    /* A small text file's contents (Cargo.toml, asconfig.json), or
     * undefined when it cannot be read. */
    readText?(p: string): string | undefined;
}

export const nodeFs: FsLike = {
    exists: (p) => fs.existsSync(p),
    isFile: (p) => {
        try {
            return fs.statSync(p).isFile();
        } catch {
            return false;
        }
    },
    isDirectory: (p) => {
        try {
            return fs.statSync(p).isDirectory();
        } catch {
            return false;
        }
    },
    readdir: (p) => {
        try {
            return fs.readdirSync(p);
        } catch {
            return [];
        }
    },
    mtimeMs: (p) => {
        try {
            return fs.statSync(p).mtimeMs;
        } catch {
            return 0;
        }
    },
    readText: (p) => {
        try {
            const st = fs.statSync(p);
            return st.isFile() && st.size <= 1 << 20 ? fs.readFileSync(p, 'utf8') : undefined;
        } catch {
            return undefined;
        }
    },
};

/* A configuration as VS Code hands it over: JSON from launch.json. */
export type RawConfig = Record<string, unknown>;

/* C, C++, Rust (DWARF) and AssemblyScript (.ts, through the source map
 * asc writes next to the module). */
export const SOURCE_EXTENSIONS = ['.c', '.h', '.cc', '.cpp', '.cxx', '.hpp', '.rs', '.ts'];

/* Folders never searched for modules. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.svn', '.hg', '.vscode']);
/* Bounds of the workspace search, so a huge tree costs little. */
const MAX_DEPTH = 8;
const MAX_ENTRIES = 20000;

export interface WasmSearch {
    /* The module chosen, if any. */
    found?: string;
    /* Other candidates seen (for the message when none could be chosen). */
    candidates: string[];
}

/* Every .wasm under the folders (bounded walk; hidden folders, node_modules
 * and .git skipped). */
export function listWasmFiles(folders: readonly string[], fsx: FsLike = nodeFs): string[] {
    const out: string[] = [];
    let seen = 0;
    const walk = (dir: string, depth: number): void => {
        if (depth > MAX_DEPTH) return;
        for (const name of fsx.readdir(dir).sort()) {
            if (++seen > MAX_ENTRIES) return;
            const p = path.join(dir, name);
            if (name.endsWith('.wasm')) {
                if (fsx.isFile(p)) out.push(p);
            } else if (!SKIP_DIRS.has(name) && !name.startsWith('.') && fsx.isDirectory(p)) {
                walk(p, depth + 1);
            }
        }
    };
    for (const f of folders) walk(f, 0);
    return out;
}

/* How far apart two paths are in the tree (steps up + steps down). */
function treeDistance(a: string, b: string): number {
    const pa = path.resolve(a).split(path.sep);
    const pb = path.resolve(b).split(path.sep);
    let i = 0;
    while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
    return pa.length - i + (pb.length - i);
}

/* The folders from SOURCE's up to the workspace folder holding it (at
 * most MAX_DEPTH + 1 of them; SOURCE's alone when no workspace folder
 * holds it). */
function projectDirs(source: string, workspaceFolders: readonly string[]): string[] {
    const top = workspaceFolders
        .map((f) => path.resolve(f))
        .filter((f) => {
            const rel = path.relative(f, source);
            return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
        })
        .sort((a, b) => b.length - a.length)[0];
    const dirs: string[] = [];
    let dir = path.dirname(path.resolve(source));
    for (let i = 0; i <= MAX_DEPTH; i++) {
        dirs.push(dir);
        if (!top || dir === top || path.dirname(dir) === dir) break;
        dir = path.dirname(dir);
    }
    return top ? dirs : dirs.slice(0, 1);
}

/* The [package] name of a Cargo.toml (cargo names a binary's module so:
 * target/wasm32-wasip1/debug/NAME.wasm), or undefined. */
export function cargoPackageName(toml: string): string | undefined {
    let inPackage = false;
    for (const raw of toml.split('\n')) {
        const line = raw.replace(/#.*$/, '').trim();
        const section = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
        if (section) {
            inPackage = section[1] === 'package';
            continue;
        }
        const m = inPackage ? /^name\s*=\s*"([^"\\]+)"$/.exec(line) : null;
        if (m) return m[1];
    }
    return undefined;
}

/* The module an asconfig.json builds (its "debug" target, else its
 * top-level "options"), absolute; undefined for a missing or malformed one. */
export function ascOutFile(json: string, dir: string): string | undefined {
    let v: unknown;
    try {
        v = JSON.parse(json);
    } catch {
        return undefined;
    }
    if (!isRecord(v)) return undefined;
    const targets = isRecord(v.targets) ? v.targets : {};
    for (const t of [targets.debug, v.options]) {
        if (isRecord(t) && typeof t.outFile === 'string' && t.outFile.endsWith('.wasm')) {
            return path.resolve(dir, t.outFile);
        }
    }
    return undefined;
}

/* What the source's project says its module is: a Rust file's crate
 * (the nearest Cargo.toml's package: NAME.wasm, also with _ for -), an
 * AssemblyScript file's asconfig.json outFile. */
function projectModule(
    source: string,
    workspaceFolders: readonly string[],
    fsx: FsLike,
): { names: string[]; path?: string } {
    const ext = path.extname(source);
    if ((ext !== '.rs' && ext !== '.ts') || !fsx.readText) return { names: [] };
    for (const dir of projectDirs(source, workspaceFolders)) {
        if (ext === '.rs') {
            const toml = fsx.readText(path.join(dir, 'Cargo.toml'));
            const name = toml === undefined ? undefined : cargoPackageName(toml);
            if (name) return { names: [...new Set([name, name.replace(/-/g, '_')])] };
        } else {
            const json = fsx.readText(path.join(dir, 'asconfig.json'));
            const out = json === undefined ? undefined : ascOutFile(json, dir);
            if (out) return { names: [], path: out };
        }
    }
    return { names: [] };
}

/* The module for a source file: SOURCE.wasm next to it; else the one its
 * project names (an asconfig.json's outFile; a Cargo.toml's crate, by
 * name); else a module of that base name in the workspace (the nearest to
 * the source, then the newest); else the workspace's only module. For a
 * .wasm, itself. */
export function findWasmForSource(
    source: string,
    workspaceFolders: readonly string[],
    fsx: FsLike = nodeFs,
): WasmSearch {
    if (source.endsWith('.wasm')) {
        return fsx.isFile(source) ? { found: source, candidates: [] } : { candidates: [] };
    }
    const dir = path.dirname(source);
    const base = path.basename(source, path.extname(source));
    const next = path.join(dir, `${base}.wasm`);
    if (fsx.isFile(next)) return { found: next, candidates: [] };
    const project = projectModule(source, workspaceFolders, fsx);
    if (project.path && fsx.isFile(project.path)) return { found: project.path, candidates: [] };
    const roots = workspaceFolders.length > 0 ? workspaceFolders : [dir];
    const all = listWasmFiles(roots, fsx);
    for (const names of [project.names, [base]]) {
        const named = all.filter((p) => names.some((n) => path.basename(p) === `${n}.wasm`));
        if (named.length > 0) {
            const best = [...named].sort(
                (a, b) =>
                    treeDistance(dir, path.dirname(a)) - treeDistance(dir, path.dirname(b)) ||
                    fsx.mtimeMs(b) - fsx.mtimeMs(a),
            )[0];
            return { found: best, candidates: named };
        }
    }
    if (all.length === 1) return { found: all[0], candidates: all };
    return { candidates: all };
}

/* How to build SOURCE into the module wdb looks for, per language. */
export function buildHint(source: string): string {
    const ext = path.extname(source);
    const base = path.basename(source, ext);
    if (ext === '.rs') {
        return 'cargo build --target wasm32-wasip1 (debug builds keep DWARF)';
    }
    if (ext === '.ts') {
        return `asc ${path.basename(source)} --debug --sourceMap -o ${base}.wasm`;
    }
    const cc = ext === '.c' || ext === '.h' ? 'clang-22' : 'clang++-22';
    return `${cc} --target=wasm32-wasi -g -O0 ${path.basename(source)} -o ${base}.wasm`;
}

/* The message shown when no module goes with the source file: what wdb
 * looked for and the two ways out. */
export function noWasmMessage(source: string, candidates: readonly string[]): string {
    const base = path.basename(source, path.extname(source));
    const expected = path.join(path.dirname(source), `${base}.wasm`);
    let msg =
        `wdb: no WebAssembly module for ${path.basename(source)}: looked for ${expected} ` +
        `and for ${base}.wasm in the workspace. Build it (${buildHint(source)}), or add a ` +
        `"wdb" launch configuration with "program": "\${workspaceFolder}/path/to/app.wasm" ` +
        `to .vscode/launch.json.`;
    if (candidates.length > 1) {
        const shown = candidates.slice(0, 3).join(', ');
        msg += ` Modules found: ${shown}${candidates.length > 3 ? ', ...' : ''}.`;
    }
    return msg;
}

export type Resolution = { ok: true; config: RawConfig } | { ok: false; message: string };

export interface ResolveContext {
    /* The file in the active editor, if any. */
    activeFile?: string;
    workspaceFolders: readonly string[];
    /* The workspace folder of the configuration (for relative paths). */
    folder?: string;
    fsx?: FsLike;
}

/* True for the empty configuration VS Code passes when there is no
 * launch.json (or it has no configuration) and the user pressed F5. */
export function isEmptyConfig(c: RawConfig): boolean {
    return c.type === undefined && c.request === undefined && c.name === undefined;
}

/* A launch configuration for the active file, for F5 without launch.json. */
export function configForActiveFile(ctx: ResolveContext): Resolution {
    const file = ctx.activeFile;
    const fsx = ctx.fsx ?? nodeFs;
    if (!file || !(file.endsWith('.wasm') || SOURCE_EXTENSIONS.includes(path.extname(file)))) {
        return {
            ok: false,
            message:
                'wdb: open a C, C++, Rust or AssemblyScript source file (or a .wasm module) and press F5 again, ' +
                'or add a "wdb" launch configuration with "program": "${workspaceFolder}/app.wasm" ' +
                'to .vscode/launch.json.',
        };
    }
    const search = findWasmForSource(file, ctx.workspaceFolders, fsx);
    if (!search.found) return { ok: false, message: noWasmMessage(file, search.candidates) };
    const program = search.found;
    return {
        ok: true,
        config: {
            type: 'wdb',
            request: 'launch',
            name: `wdb: ${path.basename(program)}`,
            program,
            args: [],
            cwd: path.dirname(program),
            stopOnEntry: false,
        },
    };
}

/* Resolves a path of the configuration against its folder. */
function absolute(p: string, base: string | undefined): string {
    return path.isAbsolute(p) || !base ? p : path.resolve(base, p);
}

/* sourceMap as wdb takes it: an object FROM -> TO of path prefixes. Also
 * accepts lldb-dap's list of [FROM, TO] pairs. TO paths are made absolute
 * against the folder. Returns a message for a malformed value. */
export function normalizeSourceMap(
    v: unknown,
    folder: string | undefined,
): { ok: true; map: Record<string, string> } | { ok: false; message: string } {
    const map: Record<string, string> = {};
    const bad = {
        ok: false as const,
        message:
            'wdb: "sourceMap" must map build paths to local ones: ' +
            '{ "/build/dir": "${workspaceFolder}" }',
    };
    if (v === undefined || v === null) return { ok: true, map };
    if (Array.isArray(v)) {
        for (const pair of v) {
            if (!Array.isArray(pair) || pair.length !== 2) return bad;
            const [from, to] = pair as unknown[];
            if (typeof from !== 'string' || typeof to !== 'string') return bad;
            map[from] = absolute(to, folder);
        }
        return { ok: true, map };
    }
    if (!isRecord(v)) return bad;
    for (const [from, to] of Object.entries(v)) {
        if (typeof to !== 'string') return bad;
        map[from] = absolute(to, folder);
    }
    return { ok: true, map };
}

function isStringArray(v: unknown): v is string[] {
    return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

function isStringRecord(v: unknown): v is Record<string, string> {
    return isRecord(v) && Object.values(v).every((s) => typeof s === 'string');
}

/* Checks a configuration (after VS Code substituted ${...} variables) and
 * fills defaults: launch: cwd (the module's folder), args, env, stopOnEntry;
 * both: sourceMap (normalized, {} by default) and sourceSearchPath (cwd and
 * the workspace folder); attach: host 127.0.0.1. Paths are made absolute
 * against the folder. The first problem found is the message. */
export function completeConfig(input: RawConfig, ctx: ResolveContext): Resolution {
    const fsx = ctx.fsx ?? nodeFs;
    const folder = ctx.folder ?? ctx.workspaceFolders[0];
    const c: RawConfig = { ...input };
    const request = c.request ?? 'launch';
    if (request !== 'launch' && request !== 'attach') {
        return { ok: false, message: `wdb: "request" must be "launch" or "attach", not ${JSON.stringify(request)}` };
    }
    c.request = request;
    const remoteBridge = c.bridgeUrl !== undefined;

    for (const key of ['program', 'cwd', 'runtime', 'coreFile', 'replay', 'wdbPath', 'host', 'bridgeUrl', 'token']) {
        if (c[key] !== undefined && typeof c[key] !== 'string') {
            return { ok: false, message: `wdb: "${key}" must be a string` };
        }
    }
    for (const key of ['args', 'runtimeArgs']) {
        if (c[key] !== undefined && !isStringArray(c[key])) {
            return { ok: false, message: `wdb: "${key}" must be a list of strings` };
        }
    }
    if (c.env !== undefined && !isStringRecord(c.env)) {
        return { ok: false, message: 'wdb: "env" must map names to string values: { "HOME": "/" }' };
    }
    if (c.stopOnEntry !== undefined && typeof c.stopOnEntry !== 'boolean') {
        return { ok: false, message: 'wdb: "stopOnEntry" must be true or false' };
    }
    const sm = normalizeSourceMap(c.sourceMap, folder);
    if (!sm.ok) return sm;
    c.sourceMap = sm.map;

    if (remoteBridge) {
        const url = c.bridgeUrl as string;
        if (!/^wss?:\/\/[^/\s]+/.test(url)) {
            return { ok: false, message: `wdb: "bridgeUrl" must be a ws:// or wss:// URL (ws://HOST:PORT), not "${url}"` };
        }
        if (typeof c.token !== 'string' || c.token.length === 0) {
            return {
                ok: false,
                message:
                    'wdb: "bridgeUrl" needs the "token" that remote wdb was started with ' +
                    '(WDB_DAP_TOKEN=... wdb --dap-ws=ADDR:PORT)',
            };
        }
    }

    /* Local paths are only checked when wdb runs here: a remote wdb reads
     * its own file system. */
    const checkFiles = !remoteBridge;
    if (typeof c.program === 'string') c.program = absolute(c.program, folder);
    if (typeof c.coreFile === 'string') c.coreFile = absolute(c.coreFile, folder);
    if (typeof c.replay === 'string') c.replay = absolute(c.replay, folder);

    if (request === 'launch') {
        if (typeof c.program !== 'string' || c.program === '') {
            return {
                ok: false,
                message:
                    'wdb: the launch configuration needs "program": the .wasm module to debug, ' +
                    'e.g. "${workspaceFolder}/app.wasm"',
            };
        }
        if (checkFiles && !fsx.isFile(c.program)) {
            return {
                ok: false,
                message: `wdb: the program ${c.program} does not exist: build it first (${buildHint(c.program.replace(/\.wasm$/, '.c'))})`,
            };
        }
        if (typeof c.coreFile === 'string' && checkFiles && !fsx.isFile(c.coreFile)) {
            return { ok: false, message: `wdb: the core file ${c.coreFile} does not exist` };
        }
        if (typeof c.replay === 'string' && checkFiles && !fsx.isFile(c.replay)) {
            return {
                ok: false,
                message: `wdb: the trace ${c.replay} does not exist (record one with WDB_RECORD=FILE or wdb-run --record=FILE)`,
            };
        }
        if (c.replay !== undefined && c.coreFile !== undefined) {
            return { ok: false, message: 'wdb: "replay" and "coreFile" cannot be used together' };
        }
        c.cwd = typeof c.cwd === 'string' ? absolute(c.cwd, folder) : path.dirname(c.program);
        if (checkFiles && !fsx.isDirectory(c.cwd as string)) {
            return { ok: false, message: `wdb: the working directory ${String(c.cwd)} does not exist` };
        }
        c.args = c.args ?? [];
        c.env = c.env ?? {};
        c.stopOnEntry = c.stopOnEntry ?? false;
    } else if (c.serialPort !== undefined) {
        /* a device on a serial line (a USB-serial adapter, a board's debug
         * UART): wdb opens it raw at baudRate */
        if (typeof c.serialPort !== 'string' || c.serialPort === '') {
            return { ok: false, message: 'wdb: "serialPort" must be the path of a serial device (/dev/ttyUSB0)' };
        }
        if (c.port !== undefined) {
            return { ok: false, message: 'wdb: give either "serialPort" or "host"/"port", not both' };
        }
        if (c.baudRate !== undefined) {
            const baud = typeof c.baudRate === 'string' ? Number(c.baudRate) : c.baudRate;
            if (typeof baud !== 'number' || !Number.isInteger(baud) || baud < 1 || baud > 4000000) {
                return { ok: false, message: `wdb: "baudRate" must be a whole number of bits per second, not ${JSON.stringify(c.baudRate)}` };
            }
            c.baudRate = baud;
        }
        if (checkFiles && !remoteBridge && !fsx.exists(c.serialPort)) {
            return { ok: false, message: `wdb: the serial port ${c.serialPort} does not exist` };
        }
        if (typeof c.program === 'string' && checkFiles && !fsx.isFile(c.program)) {
            return { ok: false, message: `wdb: the program ${c.program} does not exist (attach needs the module the device runs, with its DWARF)` };
        }
    } else {
        if (c.port === undefined && !remoteBridge) {
            return {
                ok: false,
                message:
                    'wdb: the attach configuration needs "port": where wdb-run listens ' +
                    '(wdb-run -g=ADDR:PORT app.wasm or --gdb-listen=ADDR:PORT)',
            };
        }
        if (c.port !== undefined) {
            const port = typeof c.port === 'string' ? Number(c.port) : c.port;
            if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
                return { ok: false, message: `wdb: "port" must be a number from 1 to 65535, not ${JSON.stringify(c.port)}` };
            }
            c.port = port;
        }
        c.host = typeof c.host === 'string' && c.host !== '' ? c.host : '127.0.0.1';
        if (typeof c.program === 'string' && checkFiles && !fsx.isFile(c.program)) {
            return { ok: false, message: `wdb: the program ${c.program} does not exist (attach needs the module the device runs, with its DWARF)` };
        }
    }
    /* Where wdb looks (by base name) for sources whose DWARF path is not on
     * this machine: wdb's own default is cwd alone; the workspace too. */
    if (c.sourceSearchPath === undefined) {
        const dirs = [typeof c.cwd === 'string' ? c.cwd : undefined, folder].filter(
            (d): d is string => d !== undefined,
        );
        if (dirs.length > 0 && !remoteBridge) c.sourceSearchPath = [...new Set(dirs)];
    } else if (typeof c.sourceSearchPath === 'string') {
        c.sourceSearchPath = [absolute(c.sourceSearchPath, folder)];
    } else if (isStringArray(c.sourceSearchPath)) {
        c.sourceSearchPath = c.sourceSearchPath.map((d) => absolute(d, folder));
    } else {
        return { ok: false, message: 'wdb: "sourceSearchPath" must be a folder or a list of folders' };
    }
    return { ok: true, config: c };
}
