/*
 * The VS Code side of the `wdb` debugger type: the only module that imports
 * `vscode`. It asks the other modules (config, discovery, session,
 * forwarder: all testable without VS Code) and shows their messages.
 *
 * - DebugConfigurationProvider: F5 without launch.json fills a launch
 *   configuration for the active C/C++/Rust file (its .wasm next to it or
 *   in the workspace); every configuration is checked before a session
 *   starts (program, wdb and wdb-run found), with one clear message when
 *   something is missing.
 * - DebugAdapterDescriptorFactory: an inline adapter whose messages go over
 *   a websocket to `wdb --dap-ws` (started here, or a remote one).
 * - The memory view (`wdb: Show Memory`, also on a variable's context
 *   menu): a read-only hex dump of linear memory (memview.ts) read with
 *   DAP readMemory, read again at every stop. VS Code's own binary view
 *   needs the Hex Editor extension, which a device's debugger cannot assume.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { asDapMessage } from './dap';
import { completeConfig, configForActiveFile, findWasmForSource, isEmptyConfig, listWasmFiles, RawConfig } from './config';
import { findWdb, findWdbRun } from './discovery';
import { DapForwarder } from './forwarder';
import {
    DEFAULT_BYTES,
    decodeReadMemory,
    hexDump,
    MEMORY_SCHEME,
    memoryReferenceOf,
    memoryUriParts,
    parseMemoryQuery,
} from './memview';
import { openForwarder, planSession } from './session';

const TYPE = 'wdb';

let channel: vscode.OutputChannel | undefined;

function trace(): ((line: string) => void) | undefined {
    if (!vscode.workspace.getConfiguration('wdb').get<boolean>('trace', false)) return undefined;
    channel = channel ?? vscode.window.createOutputChannel('wdb');
    const ch = channel;
    return (line) => ch.appendLine(line);
}

function workspacePaths(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

function activeFile(): string | undefined {
    const doc = vscode.window.activeTextEditor?.document;
    return doc && doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
}

/* Shows message; with a button to the setting or to launch.json. Does not
 * wait for the user (a debug start must not hang on a notification). */
function showProblem(message: string, fix: 'settings' | 'launch.json' | undefined): void {
    const button = fix === 'settings' ? 'Open Settings' : fix === 'launch.json' ? 'Open launch.json' : undefined;
    const shown = button ? vscode.window.showErrorMessage(message, button) : vscode.window.showErrorMessage(message);
    void Promise.resolve(shown).then((choice) => {
        if (choice === 'Open Settings') {
            void vscode.commands.executeCommand('workbench.action.openSettings', 'wdb.path');
        } else if (choice === 'Open launch.json') {
            void vscode.commands.executeCommand('workbench.action.debug.configure');
        }
    });
}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
    constructor(private readonly extensionPath: string) {}

    provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): vscode.DebugConfiguration[] {
        const file = activeFile();
        if (file) {
            const r = configForActiveFile({ activeFile: file, workspaceFolders: workspacePaths() });
            if (r.ok) {
                const c = r.config;
                if (folder && typeof c.program === 'string') {
                    const rel = path.relative(folder.uri.fsPath, c.program);
                    c.program = path.posix.join('${workspaceFolder}', rel);
                    c.cwd = path.posix.join('${workspaceFolder}', path.dirname(rel));
                }
                return [c as vscode.DebugConfiguration];
            }
        }
        return [
            {
                type: TYPE,
                request: 'launch',
                name: 'wdb: launch',
                program: '${workspaceFolder}/app.wasm',
                args: [],
                cwd: '${workspaceFolder}',
                stopOnEntry: false,
            },
        ];
    }

    resolveDebugConfiguration(
        _folder: vscode.WorkspaceFolder | undefined,
        config: vscode.DebugConfiguration,
    ): vscode.DebugConfiguration | undefined {
        const raw = config as RawConfig;
        if (!isEmptyConfig(raw)) return config;
        const r = configForActiveFile({ activeFile: activeFile(), workspaceFolders: workspacePaths() });
        if (!r.ok) {
            showProblem(r.message, 'launch.json');
            return undefined;
        }
        return r.config as vscode.DebugConfiguration;
    }

    resolveDebugConfigurationWithSubstitutedVariables(
        folder: vscode.WorkspaceFolder | undefined,
        config: vscode.DebugConfiguration,
    ): vscode.DebugConfiguration | undefined {
        const r = completeConfig(config as RawConfig, {
            workspaceFolders: workspacePaths(),
            folder: folder?.uri.fsPath,
        });
        if (!r.ok) {
            showProblem(r.message, 'launch.json');
            return undefined;
        }
        const c = r.config;
        if (typeof c.bridgeUrl === 'string') return c as vscode.DebugConfiguration;
        const wdb = findWdb({
            configPath: typeof c.wdbPath === 'string' ? c.wdbPath : undefined,
            settingPath: vscode.workspace.getConfiguration('wdb').get<string>('path'),
            envPath: process.env.PATH,
            home: process.env.HOME,
            extensionPath: this.extensionPath,
            workspaceFolders: workspacePaths(),
        });
        if (!wdb.ok) {
            showProblem(wdb.message, 'settings');
            return undefined;
        }
        c.wdbPath = wdb.path;
        if (c.request === 'launch' && c.coreFile === undefined) {
            const run = findWdbRun({
                configPath: typeof c.runtime === 'string' ? c.runtime : undefined,
                wdbPath: wdb.path,
                envWdbRun: process.env.WDB_RUN,
                envPath: process.env.PATH,
                home: process.env.HOME,
            });
            if (!run.ok) {
                showProblem(run.message, 'launch.json');
                return undefined;
            }
            c.runtime = run.path;
        }
        return c as vscode.DebugConfiguration;
    }
}

/* One configuration per module in the workspace (the active file's first),
 * for the "Run and Debug" view's dynamic list. */
class DynamicProvider implements vscode.DebugConfigurationProvider {
    provideDebugConfigurations(): vscode.DebugConfiguration[] {
        const folders = workspacePaths();
        const file = activeFile();
        const mods = listWasmFiles(folders);
        if (file) {
            const s = findWasmForSource(file, folders);
            if (s.found) mods.unshift(s.found);
        }
        return [...new Set(mods)].slice(0, 20).map((program) => ({
            type: TYPE,
            request: 'launch',
            name: `wdb: ${path.basename(program)}`,
            program,
            cwd: path.dirname(program),
            args: [],
        }));
    }
}

class Adapter implements vscode.DebugAdapter {
    private readonly emitter = new vscode.EventEmitter<vscode.DebugProtocolMessage>();
    readonly onDidSendMessage = this.emitter.event;
    private fwd: DapForwarder | undefined;

    deliver(m: vscode.DebugProtocolMessage): void {
        this.emitter.fire(m);
    }

    attach(fwd: DapForwarder): void {
        this.fwd = fwd;
    }

    handleMessage(message: vscode.DebugProtocolMessage): void {
        const m = asDapMessage(message);
        if (m) this.fwd?.send(m);
    }

    dispose(): void {
        this.fwd?.dispose();
        this.emitter.dispose();
    }
}

class AdapterFactory implements vscode.DebugAdapterDescriptorFactory {
    async createDebugAdapterDescriptor(session: vscode.DebugSession): Promise<vscode.DebugAdapterDescriptor> {
        const config = session.configuration as RawConfig;
        const plan = planSession(config, typeof config.wdbPath === 'string' ? config.wdbPath : undefined);
        const adapter = new Adapter();
        const fwd = await openForwarder(config, plan, {
            onMessage: (m) => adapter.deliver(m),
            log: trace(),
        });
        adapter.attach(fwd);
        return new vscode.DebugAdapterInlineImplementation(adapter);
    }
}

/* ------------------------------------------------------------ memory view */

const sessions = new Map<string, vscode.DebugSession>();
/* the frame VS Code last asked scopes for: the one the user selected */
const focusedFrame = new Map<string, number>();

class MemoryProvider implements vscode.TextDocumentContentProvider {
    private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
    readonly onDidChange = this.emitter.event;

    /* Reads the open views of a session again (it stopped). */
    refresh(sessionId: string): void {
        for (const doc of vscode.workspace.textDocuments) {
            if (doc.uri.scheme !== MEMORY_SCHEME) continue;
            const t = parseMemoryQuery(doc.uri.query);
            if (typeof t === 'object' && t.sessionId === sessionId) this.emitter.fire(doc.uri);
        }
    }

    async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
        const t = parseMemoryQuery(uri.query);
        if (typeof t === 'string') return `wdb: ${t}\n`;
        const session = sessions.get(t.sessionId);
        if (!session) return `${t.label}: the debug session has ended\n`;
        try {
            const body: unknown = await session.customRequest('readMemory', {
                memoryReference: t.memoryReference,
                offset: 0,
                count: t.count,
            });
            const m = decodeReadMemory(body);
            if (typeof m === 'string') return `${t.label}: ${m}\n`;
            return hexDump(t, m.address, m.bytes, m.unreadable);
        } catch (e) {
            /* e.g. the program is running: the view is read again at the next stop */
            return `${t.label}: ${e instanceof Error ? e.message : String(e)}\n`;
        }
    }
}

/* What a `debug/variables/context` menu passes: the variable clicked. */
interface VariableContext {
    sessionId?: unknown;
    variable?: { name?: unknown; evaluateName?: unknown; memoryReference?: unknown };
}

async function showMemory(arg: unknown): Promise<void> {
    const ctx = (typeof arg === 'object' && arg !== null ? arg : {}) as VariableContext;
    const session =
        (typeof ctx.sessionId === 'string' ? sessions.get(ctx.sessionId) : undefined) ?? vscode.debug.activeDebugSession;
    if (!session || session.type !== TYPE) {
        void vscode.window.showErrorMessage('wdb: the memory view needs a wdb debug session that is stopped.');
        return;
    }
    let ref: string;
    let label: string;
    const v = ctx.variable;
    if (v && typeof v.memoryReference === 'string' && v.memoryReference) {
        ref = v.memoryReference;
        label = typeof v.evaluateName === 'string' ? v.evaluateName : String(v.name ?? ref);
    } else {
        const expr = await vscode.window.showInputBox({
            title: 'wdb: Show Memory',
            prompt: 'An address or a C expression: &a, p, buf, 0x10000',
            placeHolder: '&variable',
        });
        if (!expr) return;
        try {
            const body: unknown = await session.customRequest('evaluate', {
                expression: expr,
                context: 'watch',
                frameId: focusedFrame.get(session.id),
            });
            const r = memoryReferenceOf(expr, body);
            if (typeof r === 'object') {
                void vscode.window.showErrorMessage(`wdb: ${r.error}`);
                return;
            }
            ref = r;
            label = expr;
        } catch (e) {
            void vscode.window.showErrorMessage(`wdb: ${e instanceof Error ? e.message : String(e)}`);
            return;
        }
    }
    const parts = memoryUriParts({ sessionId: session.id, memoryReference: ref, count: DEFAULT_BYTES, label });
    const uri = vscode.Uri.from({ scheme: MEMORY_SCHEME, path: parts.path, query: parts.query });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
}

export function activate(context: vscode.ExtensionContext): void {
    const memory = new MemoryProvider();
    context.subscriptions.push(
        vscode.workspace.registerTextDocumentContentProvider(MEMORY_SCHEME, memory),
        vscode.commands.registerCommand('wdb.showMemory', showMemory),
        vscode.debug.onDidStartDebugSession((s) => {
            if (s.type === TYPE) sessions.set(s.id, s);
        }),
        vscode.debug.onDidTerminateDebugSession((s) => {
            sessions.delete(s.id);
            focusedFrame.delete(s.id);
            memory.refresh(s.id);
        }),
        vscode.debug.registerDebugAdapterTrackerFactory(TYPE, {
            createDebugAdapterTracker: (s) => ({
                onWillReceiveMessage: (m: unknown) => {
                    const r = m as { command?: unknown; arguments?: { frameId?: unknown } };
                    if (r.command === 'scopes' && typeof r.arguments?.frameId === 'number')
                        focusedFrame.set(s.id, r.arguments.frameId);
                },
                onDidSendMessage: (m: unknown) => {
                    const e = m as { type?: unknown; event?: unknown };
                    if (e.type === 'event' && e.event === 'stopped') {
                        focusedFrame.delete(s.id);
                        memory.refresh(s.id);
                    }
                },
            }),
        }),
        vscode.debug.registerDebugConfigurationProvider(TYPE, new ConfigurationProvider(context.extensionPath)),
        vscode.debug.registerDebugConfigurationProvider(
            TYPE,
            new DynamicProvider(),
            vscode.DebugConfigurationProviderTriggerKind.Dynamic,
        ),
        vscode.debug.registerDebugAdapterDescriptorFactory(TYPE, new AdapterFactory()),
    );
}

export function deactivate(): void {
    channel?.dispose();
    channel = undefined;
}
