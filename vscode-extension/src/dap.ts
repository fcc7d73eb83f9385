/*
 * The few Debug Adapter Protocol shapes the forwarder looks at
 * (https://microsoft.github.io/debug-adapter-protocol/specification).
 * Everything else in a message passes through untouched.
 */

export interface DapRequest {
    seq: number;
    type: 'request';
    command: string;
    arguments?: unknown;
}

export interface DapResponse {
    seq: number;
    type: 'response';
    request_seq: number;
    success: boolean;
    command: string;
    message?: string;
    body?: unknown;
}

export interface DapEvent {
    seq: number;
    type: 'event';
    event: string;
    body?: unknown;
}

export type DapMessage = DapRequest | DapResponse | DapEvent;

export function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/* A parsed JSON value as a DAP message, or undefined when it does not have
 * the fields its `type` requires. */
export function asDapMessage(v: unknown): DapMessage | undefined {
    if (!isRecord(v) || typeof v.seq !== 'number') return undefined;
    switch (v.type) {
        case 'request':
            return typeof v.command === 'string' ? (v as unknown as DapRequest) : undefined;
        case 'response':
            return typeof v.command === 'string' &&
                typeof v.request_seq === 'number' &&
                typeof v.success === 'boolean'
                ? (v as unknown as DapResponse)
                : undefined;
        case 'event':
            return typeof v.event === 'string' ? (v as unknown as DapEvent) : undefined;
        default:
            return undefined;
    }
}

/* One message's JSON text; undefined for malformed JSON or a non-message. */
export function parseDapMessage(text: string): DapMessage | undefined {
    try {
        return asDapMessage(JSON.parse(text) as unknown);
    } catch {
        return undefined;
    }
}

