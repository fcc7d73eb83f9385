/* Test helpers: a queue of the messages a forwarder delivers, and waiting
 * for one of them. */
import { DapEvent, DapMessage, DapResponse } from '../dap';

export class Inbox {
    readonly all: DapMessage[] = [];
    private waiters: Array<() => void> = [];

    readonly push = (m: DapMessage): void => {
        this.all.push(m);
        const w = this.waiters;
        this.waiters = [];
        for (const f of w) f();
    };

    /* The first message (from index `from` on) that satisfies pred; rejects
     * after timeoutMs with what arrived meanwhile. */
    async waitFor(pred: (m: DapMessage) => boolean, timeoutMs = 10000, from = 0): Promise<DapMessage> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const hit = this.all.slice(from).find(pred);
            if (hit) return hit;
            const left = deadline - Date.now();
            if (left <= 0) {
                throw new Error(`timed out; messages so far:\n${this.all.map((m) => JSON.stringify(m)).join('\n')}`);
            }
            await new Promise<void>((resolve) => {
                const t = setTimeout(resolve, left);
                this.waiters.push(() => {
                    clearTimeout(t);
                    resolve();
                });
            });
        }
    }

    async response(requestSeq: number, timeoutMs = 10000): Promise<DapResponse> {
        const m = await this.waitFor((x) => x.type === 'response' && x.request_seq === requestSeq, timeoutMs);
        return m as DapResponse;
    }

    async event(name: string, timeoutMs = 10000, from = 0): Promise<DapEvent> {
        const m = await this.waitFor((x) => x.type === 'event' && x.event === name, timeoutMs, from);
        return m as DapEvent;
    }

    events(name: string): DapEvent[] {
        return this.all.filter((m): m is DapEvent => m.type === 'event' && m.event === name);
    }
}

export function sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
}
