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
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { asDapMessage } from './dap';
import { completeConfig, configForActiveFile, findWasmForSource, isEmptyConfig, listWasmFiles, RawConfig } from './config';
import { findWdb, findWdbRun } from './discovery';
import { DapForwarder } from './forwarder';
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

export function activate(context: vscode.ExtensionContext): void {
    context.subscriptions.push(
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
