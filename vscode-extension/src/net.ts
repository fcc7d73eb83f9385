/*
 * A TCP reachability check with a timeout, for a remote `wdb --dap-ws`
 * (bridgeUrl) before the websocket is opened.
 *
 * Not used on a device's GDB stub: `wdb-run -g=ADDR:PORT` accepts exactly
 * one debugger and runs the program on when that connection closes, so a
 * probe would start the program undebugged. Attach failures are reported
 * from wdb's own answer instead (see hints.ts and the attach timeout).
 *
 * No `vscode` import.
 */
import * as net from 'net';

export type Probe = { ok: true } | { ok: false; message: string };

export function probeTcp(host: string, port: number, timeoutMs: number): Promise<Probe> {
    return new Promise<Probe>((resolve) => {
        const where = `${host}:${port}`;
        const sock = net.connect({ host, port });
        let done = false;
        const finish = (p: Probe): void => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            sock.destroy();
            resolve(p);
        };
        const timer = setTimeout(() => {
            finish({ ok: false, message: `no answer from ${where} within ${timeoutMs / 1000} s (is the host on and reachable?)` });
        }, timeoutMs);
        sock.once('connect', () => finish({ ok: true }));
        sock.once('error', (err: NodeJS.ErrnoException) => {
            let why: string;
            switch (err.code) {
                case 'ECONNREFUSED':
                    why = 'nothing is listening there';
                    break;
                case 'ENOTFOUND':
                case 'EAI_AGAIN':
                    why = 'unknown host';
                    break;
                case 'EHOSTUNREACH':
                case 'ENETUNREACH':
                    why = 'the host is unreachable';
                    break;
                default:
                    why = err.message;
            }
            finish({ ok: false, message: `cannot connect to ${where}: ${why}` });
        });
    });
}

/* HOST and PORT of a ws:// or wss:// URL (default ports 80/443). */
export function urlHostPort(url: string): { host: string; port: number } | undefined {
    let u: URL;
    try {
        u = new URL(url);
    } catch {
        return undefined;
    }
    if (u.protocol !== 'ws:' && u.protocol !== 'wss:') return undefined;
    const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = u.port ? Number(u.port) : u.protocol === 'wss:' ? 443 : 80;
    return { host, port };
}
