/*
 * The DAP forwarder: VS Code's side of `wdb --dap-ws`.
 *
 * spawnWdbServer starts `wdb --dap-ws=127.0.0.1:0` with a fresh random
 * token (in WDB_DAP_TOKEN: a command line is visible to every user in ps)
 * and reads the URL it listens on from its stderr line
 *   wdb: DAP websocket server on ws://127.0.0.1:PORT (token required)
 * DapForwarder.connect opens the websocket (token as `Authorization: Bearer`,
 * see docs/SECURITY.md) and then passes DAP messages both ways, one JSON
 * message per text frame. When the connection or the wdb process ends
 * before the session did, the client gets error responses for the requests
 * still open, an `output` event saying what happened (wdb's last stderr
 * lines) and a `terminated` event, so the UI never waits for nothing.
 *
 * No `vscode` import here: Node's test runner drives this module directly.
 */
import { ChildProcess, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import WebSocket from 'ws';
import { DapEvent, DapMessage, DapRequest, DapResponse, isRecord, parseDapMessage } from './dap';

/* The line wdb prints on stderr once it listens (wdb_dap_ws.h). */
const LISTEN_RE = /DAP websocket server on (wss?:\/\/\S+)/;

/* The URL in wdb's "listening" line, or undefined for any other line. */
export function parseListenLine(line: string): string | undefined {
    const m = LISTEN_RE.exec(line);
    return m ? m[1] : undefined;
}

/* A fresh token: 32 random bytes as hex (wdb wants >= 16 printable
 * characters without spaces). */
export function newToken(): string {
    return randomBytes(32).toString('hex');
}

/* The last lines a process wrote, for error messages. */
export class LineTail {
    private readonly lines: string[] = [];
    private partial = '';

    constructor(private readonly max = 30) {}

    /* Feeds a chunk; returns the complete lines it ended. */
    push(chunk: string): string[] {
        const parts = (this.partial + chunk).split('\n');
        this.partial = parts.pop() ?? '';
        const done = parts.map((l) => l.replace(/\r$/, ''));
        for (const l of done) {
            this.lines.push(l);
            if (this.lines.length > this.max) this.lines.shift();
        }
        return done;
    }

    text(): string {
        const all = this.partial ? [...this.lines, this.partial] : this.lines;
        return all.join('\n');
    }
}

export interface ExitInfo {
    code: number | null;
    signal: NodeJS.Signals | null;
}

export function describeExit(e: ExitInfo): string {
    if (e.signal) return `wdb was killed by ${e.signal}`;
    return `wdb exited with status ${e.code ?? '?'}`;
}

export interface SpawnOptions {
    wdbPath: string;
    /* Added after --dap-ws (e.g. --runtime=PATH). */
    extraArgs?: readonly string[];
    /* Added to this process's environment. */
    env?: Readonly<Record<string, string>>;
    cwd?: string;
    /* How long wdb may take to print its listening line. */
    startTimeoutMs?: number;
    /* Every stderr/stdout line wdb writes (a trace), token never included. */
    onLine?: (line: string) => void;
}

/* A running `wdb --dap-ws`. `exited` resolves when the process has ended. */
export interface LocalServer {
    child: ChildProcess;
    url: string;
    token: string;
    tail: LineTail;
    exited: Promise<ExitInfo>;
    exitInfo(): ExitInfo | undefined;
}

/* Starts wdb's websocket DAP server on a free loopback port. Rejects with a
 * message fit for the user when wdb cannot be started, exits first (its last
 * stderr lines included) or prints nothing within the timeout (then it is
 * killed). */
export function spawnWdbServer(opts: SpawnOptions): Promise<LocalServer> {
    const token = newToken();
    const args = ['--dap-ws=127.0.0.1:0', ...(opts.extraArgs ?? [])];
    const child = spawn(opts.wdbPath, args, {
        cwd: opts.cwd,
        env: { ...process.env, ...(opts.env ?? {}), WDB_DAP_TOKEN: token },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail = new LineTail();
    let info: ExitInfo | undefined;
    const exited = new Promise<ExitInfo>((resolve) => {
        child.once('exit', (code, signal) => {
            info = { code, signal };
            resolve(info);
        });
        child.once('error', () => {
            /* spawn failed: 'exit' may never come */
            info = info ?? { code: null, signal: null };
            resolve(info);
        });
    });
    return new Promise<LocalServer>((resolve, reject) => {
        let settled = false;
        const fail = (msg: string): void => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            if (info === undefined) child.kill('SIGKILL');
            reject(new Error(msg));
        };
        const timeoutMs = opts.startTimeoutMs ?? 10000;
        const timer = setTimeout(() => {
            fail(
                `${opts.wdbPath} did not start its DAP server within ${timeoutMs / 1000} s` +
                    stderrSuffix(tail),
            );
        }, timeoutMs);
        const onText = (chunk: Buffer): void => {
            for (const line of tail.push(chunk.toString('utf8'))) {
                opts.onLine?.(line);
                const url = parseListenLine(line);
                if (url !== undefined && !settled) {
                    settled = true;
                    clearTimeout(timer);
                    resolve({ child, url, token, tail, exited, exitInfo: () => info });
                }
            }
        };
        child.stderr?.on('data', onText);
        child.stdout?.on('data', onText);
        child.once('error', (err: NodeJS.ErrnoException) => {
            fail(
                err.code === 'ENOENT'
                    ? `wdb not found: ${opts.wdbPath} does not exist`
                    : `cannot start ${opts.wdbPath}: ${err.message}`,
            );
        });
        void exited.then((e) => {
            if (settled) return;
            const t = tail.text();
            const old = /unknown option|unrecognized option|dap-ws/i.test(t) && !LISTEN_RE.test(t);
            fail(
                `${describeExit(e)} before its DAP server listened` +
                    (old ? ' (is this wdb older than its DAP server, `wdb --dap-ws`?)' : '') +
                    stderrSuffix(tail),
            );
        });
    });
}

function stderrSuffix(tail: LineTail): string {
    const t = tail.text().trim();
    return t ? `:\n${t}` : '';
}

export interface ForwarderOptions {
    /* Every message for the client (VS Code). */
    onMessage: (m: DapMessage) => void;
    /* The local wdb to watch and, on dispose, to stop. */
    server?: LocalServer;
    /* A trace of the traffic and of what happens (no token). */
    log?: (line: string) => void;
    /* Requests that must be answered within a time (ms), e.g. attach to a
     * device that does not answer; the answer is then an error made here,
     * with timeoutMessage(command) as its text. */
    requestTimeouts?: Readonly<Record<string, number>>;
    timeoutMessage?: (command: string) => string;
    /* Called with each response before it goes to the client; may return
     * a changed copy (used for hints on failed launch/attach). */
    rewriteResponse?: (r: DapResponse) => DapResponse;
}

interface Pending {
    command: string;
    timer?: NodeJS.Timeout;
}

/* How long to wait, after the socket closed, for the local wdb's exit
 * status (it makes the message better). */
const EXIT_GRACE_MS = 1000;
/* How long wdb gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 3000;

export class DapForwarder {
    private readonly pending = new Map<number, Pending>();
    private readonly timedOut = new Set<number>();
    private lastSeq = 0;
    private sawTerminated = false;
    private disconnecting = false;
    private closed = false;
    private disposed = false;

    private constructor(
        private readonly ws: WebSocket,
        private readonly opts: ForwarderOptions,
    ) {
        ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
            this.fromServer(rawText(data), isBinary);
        });
        ws.on('close', (code: number, reason: Buffer) => {
            this.onSocketClosed(code, reason.toString('utf8'));
        });
        ws.on('error', (err: Error) => {
            this.log(`websocket error: ${err.message}`);
        });
        const server = opts.server;
        if (server) {
            void server.exited.then((e) => {
                if (!this.closed) this.finish(describeExit(e) + stderrSuffix(server.tail));
            });
        }
    }

    /* Opens the websocket at url with the token and returns a forwarder
     * delivering to opts.onMessage. Rejects with a message fit for the user
     * (wrong token, nothing listening, timeout). */
    static connect(
        url: string,
        token: string,
        opts: ForwarderOptions,
        timeoutMs = 10000,
    ): Promise<DapForwarder> {
        return new Promise<DapForwarder>((resolve, reject) => {
            let ws: WebSocket;
            try {
                ws = new WebSocket(url, {
                    headers: { Authorization: `Bearer ${token}` },
                    handshakeTimeout: timeoutMs,
                    maxPayload: 64 * 1024 * 1024,
                    perMessageDeflate: false,
                });
            } catch (e) {
                reject(new Error(`bad wdb DAP server URL ${url}: ${errorText(e)}`));
                return;
            }
            let done = false;
            const fail = (msg: string): void => {
                if (done) return;
                done = true;
                ws.removeAllListeners();
                ws.on('error', () => undefined);
                ws.terminate();
                reject(new Error(msg));
            };
            ws.once('unexpected-response', (_req, res) => {
                const status = res.statusCode ?? 0;
                const why =
                    status === 401
                        ? 'the token was refused'
                        : status === 403
                          ? 'the connection was refused (Origin)'
                          : `HTTP ${status}`;
                fail(`wdb's DAP server at ${url} did not accept the connection: ${why}`);
            });
            ws.once('error', (err: NodeJS.ErrnoException) => {
                fail(`cannot connect to wdb's DAP server at ${url}: ${connectErrorText(err)}`);
            });
            ws.once('open', () => {
                if (done) return;
                done = true;
                ws.removeAllListeners();
                resolve(new DapForwarder(ws, opts));
            });
        });
    }

    /* One message from the client. After the connection ended, requests are
     * answered here (disconnect succeeds, the rest fail). */
    send(m: DapMessage): void {
        if (m.type === 'request') {
            if (m.command === 'disconnect' || m.command === 'terminate') this.disconnecting = true;
            if (this.closed) {
                this.answer(m.seq, m.command, m.command === 'disconnect', 'wdb is not running');
                return;
            }
            const p: Pending = { command: m.command };
            const limit = this.opts.requestTimeouts?.[m.command];
            if (limit !== undefined) {
                p.timer = setTimeout(() => this.onTimeout(m.seq), limit);
            }
            this.pending.set(m.seq, p);
            m = withoutSecrets(m);
        } else if (this.closed) {
            return;
        }
        const text = JSON.stringify(m);
        this.log(`-> ${text}`);
        this.ws.send(text);
    }

    /* Closes the connection and stops the local wdb (SIGTERM, SIGKILL if it
     * is still there after a while). Emits nothing more. */
    dispose(): void {
        if (this.disposed) return;
        this.disposed = true;
        for (const p of this.pending.values()) if (p.timer) clearTimeout(p.timer);
        this.pending.clear();
        this.closed = true;
        if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
            this.ws.close(1000);
        }
        stopServer(this.opts.server);
    }

    private log(line: string): void {
        this.opts.log?.(line);
    }

    private emit(m: DapMessage): void {
        if (this.disposed) return;
        this.opts.onMessage(m);
    }

    private nextSeq(): number {
        return ++this.lastSeq;
    }

    private fromServer(text: string, isBinary: boolean): void {
        this.log(`<- ${text}`);
        const m = parseDapMessage(text);
        if (isBinary || m === undefined) {
            this.log('(not a DAP message: ignored)');
            return;
        }
        if (m.seq > this.lastSeq) this.lastSeq = m.seq;
        if (m.type === 'response') {
            if (this.timedOut.delete(m.request_seq)) return; /* answered already */
            const p = this.pending.get(m.request_seq);
            if (p?.timer) clearTimeout(p.timer);
            this.pending.delete(m.request_seq);
            this.emit(this.opts.rewriteResponse ? this.opts.rewriteResponse(m) : m);
            return;
        }
        if (m.type === 'event' && m.event === 'terminated') this.sawTerminated = true;
        this.emit(m);
    }

    private onTimeout(seq: number): void {
        const p = this.pending.get(seq);
        if (!p) return;
        this.pending.delete(seq);
        this.timedOut.add(seq);
        const msg = this.opts.timeoutMessage?.(p.command) ?? `no answer to '${p.command}' from wdb`;
        this.answer(seq, p.command, false, msg);
    }

    private answer(requestSeq: number, command: string, success: boolean, message: string): void {
        const r: DapResponse = {
            seq: this.nextSeq(),
            type: 'response',
            request_seq: requestSeq,
            command,
            success,
        };
        if (!success) r.message = message;
        this.emit(r);
    }

    private onSocketClosed(code: number, reason: string): void {
        if (this.closed) return;
        const server = this.opts.server;
        const why = `the connection to wdb closed (code ${code}${reason ? `: ${reason}` : ''})`;
        if (!server) {
            this.finish(why);
            return;
        }
        const info = server.exitInfo();
        if (info) {
            this.finish(describeExit(info) + stderrSuffix(server.tail));
            return;
        }
        /* The process usually ends right after its socket: wait a little for
         * its status, which says more than a close code. */
        const t = setTimeout(() => this.finish(why + stderrSuffix(server.tail)), EXIT_GRACE_MS);
        void server.exited.then((e) => {
            clearTimeout(t);
            this.finish(describeExit(e) + stderrSuffix(server.tail));
        });
    }

    /* The connection is over: answer what is open, and unless the session
     * ended normally, say why and end it. */
    private finish(why: string): void {
        if (this.closed) return;
        this.closed = true;
        this.log(why);
        const open = [...this.pending.entries()];
        this.pending.clear();
        for (const [seq, p] of open) {
            if (p.timer) clearTimeout(p.timer);
            this.answer(seq, p.command, p.command === 'disconnect', why);
        }
        if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
        if (this.sawTerminated || this.disconnecting) return;
        const output: DapEvent = {
            seq: this.nextSeq(),
            type: 'event',
            event: 'output',
            body: { category: 'stderr', output: `${why}\n` },
        };
        this.emit(output);
        this.emit({ seq: this.nextSeq(), type: 'event', event: 'terminated' });
        this.sawTerminated = true;
    }
}

/* The launch/attach arguments without the token (it is for the websocket
 * only, and wdb may log its requests). */
function withoutSecrets(m: DapRequest): DapRequest {
    if ((m.command !== 'launch' && m.command !== 'attach') || !isRecord(m.arguments)) return m;
    if (!('token' in m.arguments)) return m;
    const args: Record<string, unknown> = { ...m.arguments };
    delete args.token;
    return { ...m, arguments: args };
}

function rawText(data: WebSocket.RawData): string {
    if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
    if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
    return data.toString('utf8');
}

function errorText(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}

function connectErrorText(err: NodeJS.ErrnoException): string {
    switch (err.code) {
        case 'ECONNREFUSED':
            return 'nothing is listening there';
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return 'unknown host';
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
            return 'the host is unreachable';
        default:
            return err.message;
    }
}

/* SIGTERM, then SIGKILL if the process is still there after a while. */
export function stopServer(server: LocalServer | undefined): void {
    if (!server || server.exitInfo()) return;
    server.child.kill('SIGTERM');
    const t = setTimeout(() => {
        if (!server.exitInfo()) server.child.kill('SIGKILL');
    }, KILL_GRACE_MS);
    t.unref();
    void server.exited.then(() => clearTimeout(t));
}
