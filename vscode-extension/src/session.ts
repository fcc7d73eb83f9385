/*
 * Turning a resolved configuration into a connected forwarder: a local
 * `wdb --dap-ws` on a free loopback port, or a remote one (bridgeUrl +
 * token). Also what the user is told when attach fails or hangs.
 *
 * No `vscode` import: extension.ts only hands over the configuration and
 * shows the errors.
 */
import { DapResponse } from './dap';
import { DapForwarder, ForwarderOptions, spawnWdbServer, stopServer } from './forwarder';
import { probeTcp, urlHostPort } from './net';
import { RawConfig } from './config';

export type SessionPlan =
    | { kind: 'local'; wdbPath: string; extraArgs: string[] }
    | { kind: 'remote'; url: string; token: string };

/* Attach requests without an answer after this long fail with a message
 * (a device that does not answer SYNs keeps wdb's connect waiting for
 * minutes). The configuration's "timeout" (seconds) overrides it. */
export const ATTACH_TIMEOUT_MS = 20000;

export function planSession(config: RawConfig, wdbPath: string | undefined): SessionPlan {
    if (typeof config.bridgeUrl === 'string') {
        return { kind: 'remote', url: config.bridgeUrl, token: typeof config.token === 'string' ? config.token : '' };
    }
    if (wdbPath === undefined) throw new Error('wdb: no wdb executable to run');
    const extraArgs: string[] = [];
    if (typeof config.runtime === 'string') extraArgs.push(`--runtime=${config.runtime}`);
    return { kind: 'local', wdbPath, extraArgs };
}

function where(config: RawConfig): string {
    return `${typeof config.host === 'string' ? config.host : '127.0.0.1'}:${String(config.port)}`;
}

/* The message of a failed attach, with what to check on the device. */
export function attachHint(config: RawConfig): string {
    const w = where(config);
    return (
        `Is wdb-run listening on ${w}? Start it on the device with ` +
        `\`wdb-run -g=${w} app.wasm\` (waits for the debugger) or \`--gdb-listen=${w}\`, and check ` +
        'that this machine can reach it.'
    );
}

/* Adds the hint to failed attach responses; the rest passes unchanged. */
export function responseRewriter(config: RawConfig): (r: DapResponse) => DapResponse {
    return (r) => {
        if (r.command !== 'attach' || r.success || config.request !== 'attach' || config.port === undefined) return r;
        const base = r.message ?? 'attach failed';
        return { ...r, message: `${base}. ${attachHint(config)}` };
    };
}

export function requestTimeouts(config: RawConfig): Record<string, number> {
    if (config.request !== 'attach') return {};
    const t = typeof config.timeout === 'number' && config.timeout > 0 ? config.timeout * 1000 : ATTACH_TIMEOUT_MS;
    return { attach: t };
}

export function timeoutMessage(config: RawConfig): (command: string) => string {
    return (command) =>
        command === 'attach'
            ? `wdb: no answer from the device at ${where(config)} after ${requestTimeouts(config).attach / 1000} s. ${attachHint(config)}`
            : `wdb: no answer to '${command}'`;
}

export interface OpenOptions {
    onMessage: ForwarderOptions['onMessage'];
    log?: (line: string) => void;
    startTimeoutMs?: number;
    connectTimeoutMs?: number;
}

/* Starts (or reaches) wdb's DAP server for the configuration and connects.
 * Rejects with a message fit for a notification. */
export async function openForwarder(config: RawConfig, plan: SessionPlan, o: OpenOptions): Promise<DapForwarder> {
    const fwdOpts: ForwarderOptions = {
        onMessage: o.onMessage,
        log: o.log,
        requestTimeouts: requestTimeouts(config),
        timeoutMessage: timeoutMessage(config),
        rewriteResponse: responseRewriter(config),
    };
    const connectTimeout = o.connectTimeoutMs ?? 10000;
    if (plan.kind === 'remote') {
        const hp = urlHostPort(plan.url);
        if (!hp) throw new Error(`wdb: "bridgeUrl" ${plan.url} is not a ws:// URL`);
        const probe = await probeTcp(hp.host, hp.port, Math.min(connectTimeout, 5000));
        if (!probe.ok) {
            throw new Error(`wdb: the DAP server at ${plan.url} is unreachable: ${probe.message}. Start it there with WDB_DAP_TOKEN=... wdb --dap-ws=ADDR:PORT --dap-allow-remote.`);
        }
        return DapForwarder.connect(plan.url, plan.token, fwdOpts, connectTimeout);
    }
    const server = await spawnWdbServer({
        wdbPath: plan.wdbPath,
        extraArgs: plan.extraArgs,
        startTimeoutMs: o.startTimeoutMs,
        onLine: o.log ? (l) => o.log?.(`wdb: ${l}`) : undefined,
    });
    try {
        return await DapForwarder.connect(server.url, server.token, { ...fwdOpts, server }, connectTimeout);
    } catch (e) {
        stopServer(server);
        throw e;
    }
}
