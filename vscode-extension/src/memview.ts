/*
 * The memory view's logic, without `vscode` (extension.ts shows it): which
 * memory a view shows (kept in its document URI, so VS Code can reopen and
 * refresh it), what to read for an evaluate result, and the hex dump text.
 *
 * A view is a read-only text document `wdb-memory:/LABEL.hex?QUERY`; QUERY
 * holds the debug session's id, the DAP memoryReference (wdb's: a linear
 * memory address, "0x...") and the byte count. extension.ts reads the bytes
 * with the DAP readMemory request on open and again at every stop.
 */

export const MEMORY_SCHEME = 'wdb-memory';
/* Bytes shown when nobody says otherwise: 16 rows. */
export const DEFAULT_BYTES = 256;
/* Larger views would be a slow text document; readMemory has no limit. */
export const MAX_BYTES = 65536;

export interface MemoryTarget {
    sessionId: string;
    memoryReference: string;
    count: number;
    /* what the user asked for (an expression or a variable's name) */
    label: string;
}

/* The path and query of a view's URI (the scheme is MEMORY_SCHEME). */
export function memoryUriParts(t: MemoryTarget): { path: string; query: string } {
    const name = t.label.replace(/[^A-Za-z0-9_.\-&*[\]>]+/g, '_').slice(0, 60) || 'memory';
    const q = new URLSearchParams({
        session: t.sessionId,
        ref: t.memoryReference,
        count: String(t.count),
        label: t.label,
    });
    return { path: `/${name}.hex`, query: q.toString() };
}

/* The target of a view from its URI's query; a message when it is not one
 * of ours. */
export function parseMemoryQuery(query: string): MemoryTarget | string {
    const q = new URLSearchParams(query);
    const sessionId = q.get('session') ?? '';
    const memoryReference = q.get('ref') ?? '';
    const count = Number(q.get('count'));
    if (!sessionId || !memoryReference) return 'not a wdb memory view (no session or address)';
    if (!Number.isInteger(count) || count <= 0 || count > MAX_BYTES)
        return `bad byte count ${String(q.get('count'))} (1 to ${MAX_BYTES})`;
    return { sessionId, memoryReference, count, label: q.get('label') ?? memoryReference };
}

/* What an evaluate response points at: its memoryReference (a pointer's
 * target, or where an object lives), else an integer result taken as an
 * address. A message when there is neither. */
export function memoryReferenceOf(expression: string, body: unknown): string | { error: string } {
    if (typeof body === 'object' && body !== null) {
        const b = body as { memoryReference?: unknown; result?: unknown };
        if (typeof b.memoryReference === 'string' && b.memoryReference) return b.memoryReference;
        if (typeof b.result === 'string') {
            const m = /^\s*(0x[0-9a-fA-F]+|[0-9]+)\s*$/.exec(b.result);
            if (m) return '0x' + BigInt(m[1]).toString(16);
        }
    }
    return { error: `"${expression}" is not in linear memory and is not an address: try &${expression}` };
}

/* The readMemory response body as bytes and their address; a message when
 * it is malformed. */
export function decodeReadMemory(body: unknown): { address: bigint; bytes: Uint8Array; unreadable: number } | string {
    if (typeof body !== 'object' || body === null) return 'readMemory returned nothing';
    const b = body as { address?: unknown; data?: unknown; unreadableBytes?: unknown };
    if (typeof b.address !== 'string' || !/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(b.address))
        return `readMemory returned a bad address: ${JSON.stringify(b.address)}`;
    const data = typeof b.data === 'string' ? b.data : '';
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return 'readMemory returned data that is not base64';
    const unreadable = typeof b.unreadableBytes === 'number' && b.unreadableBytes > 0 ? b.unreadableBytes : 0;
    return { address: BigInt(b.address), bytes: new Uint8Array(Buffer.from(data, 'base64')), unreadable };
}

function hex(n: bigint, width: number): string {
    return n.toString(16).padStart(width, '0');
}

/* The dump: a header line, then 16 bytes a row as `xxd` shows them
 * (address, two groups of eight, printable ASCII), then a line for bytes
 * past the end of linear memory. */
export function hexDump(t: MemoryTarget, address: bigint, bytes: Uint8Array, unreadable: number): string {
    const lines: string[] = [];
    const end = address + BigInt(bytes.length + unreadable);
    lines.push(`${t.label}: ${bytes.length + unreadable} bytes at 0x${hex(address, 8)} in linear memory` +
        ' (read again at every stop)');
    lines.push('');
    for (let off = 0; off < bytes.length; off += 16) {
        const row = bytes.subarray(off, Math.min(off + 16, bytes.length));
        let hexs = '';
        let text = '';
        for (let i = 0; i < 16; i++) {
            if (i === 8) hexs += ' ';
            hexs += i < row.length ? hex(BigInt(row[i]), 2) + ' ' : '   ';
            if (i < row.length) text += row[i] >= 0x20 && row[i] < 0x7f ? String.fromCharCode(row[i]) : '.';
        }
        lines.push(`${hex(address + BigInt(off), 8)}  ${hexs} |${text}|`);
    }
    if (unreadable > 0) {
        lines.push(`${hex(address + BigInt(bytes.length), 8)}  (${unreadable} bytes past the end of linear ` +
            `memory, up to 0x${hex(end, 8)})`);
    }
    return lines.join('\n') + '\n';
}
