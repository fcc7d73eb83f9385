/* The memory view's logic: URIs that round-trip, what an evaluate result
 * points at, readMemory bodies good and bad, the hex dump. */
import { strict as assert } from 'assert';
import { test } from 'node:test';
import {
    decodeReadMemory,
    hexDump,
    MAX_BYTES,
    memoryReferenceOf,
    memoryUriParts,
    MemoryTarget,
    parseMemoryQuery,
} from '../memview';

const target: MemoryTarget = { sessionId: 'abc-1', memoryReference: '0xffa0', count: 40, label: '&a' };

test('a view URI holds its target and reads back the same', () => {
    const { path, query } = memoryUriParts(target);
    assert.equal(path, '/&a.hex');
    assert.deepEqual(parseMemoryQuery(query), target);
    const odd = { ...target, label: 'p->next->name[2] + "x y"' };
    const back = parseMemoryQuery(memoryUriParts(odd).query);
    assert.deepEqual(back, odd);
    assert.match(memoryUriParts(odd).path, /^\/[A-Za-z0-9_.\-&*[\]>]+\.hex$/);
});

test('a URI that is not a view, or asks too much, is refused with a reason', () => {
    assert.match(String(parseMemoryQuery('')), /no session or address/);
    assert.match(String(parseMemoryQuery('session=s&ref=0x10&count=0')), /bad byte count 0/);
    assert.match(String(parseMemoryQuery(`session=s&ref=0x10&count=${MAX_BYTES + 1}`)), /bad byte count/);
    assert.match(String(parseMemoryQuery('session=s&ref=0x10&count=ten')), /bad byte count ten/);
});

test('an evaluate result gives its memoryReference, else an integer as the address', () => {
    assert.equal(memoryReferenceOf('p', { result: '0x10051 "hello"', memoryReference: '0x10051' }), '0x10051');
    assert.equal(memoryReferenceOf('0x100', { result: '256' }), '0x100');
    assert.equal(memoryReferenceOf('n', { result: '0x1f' }), '0x1f');
    assert.deepEqual(memoryReferenceOf('f', { result: '1.5' }), {
        error: '"f" is not in linear memory and is not an address: try &f',
    });
    assert.ok(typeof memoryReferenceOf('x', undefined) === 'object');
});

test('readMemory bodies: bytes and address, unreadable tail, malformed ones refused', () => {
    const ok = decodeReadMemory({ address: '0xffa0', data: Buffer.from('apple\0').toString('base64') });
    assert.ok(typeof ok === 'object');
    assert.equal(ok.address, 0xffa0n);
    assert.deepEqual([...ok.bytes], [0x61, 0x70, 0x70, 0x6c, 0x65, 0]);
    assert.equal(ok.unreadable, 0);
    const tail = decodeReadMemory({ address: '65534', data: 'AAA=', unreadableBytes: 14 });
    assert.ok(typeof tail === 'object' && tail.unreadable === 14 && tail.bytes.length === 2);
    assert.match(String(decodeReadMemory(null)), /returned nothing/);
    assert.match(String(decodeReadMemory({ address: 'far', data: '' })), /bad address/);
    assert.match(String(decodeReadMemory({ address: '0x1', data: '!!' })), /not base64/);
});

test('the hex dump: 16 bytes a row, ASCII column, the unreadable tail named', () => {
    const bytes = new Uint8Array(20);
    bytes.set([0x61, 0x70, 0x70, 0x6c, 0x65, 0x00, 0x00, 0x00, 0x03, 0x7f, 0x20]);
    const text = hexDump({ ...target, count: 24 }, 0xffa0n, bytes, 4);
    const lines = text.split('\n');
    assert.equal(lines[0], '&a: 24 bytes at 0x0000ffa0 in linear memory (read again at every stop)');
    assert.equal(lines[2], '0000ffa0  61 70 70 6c 65 00 00 00  03 7f 20 00 00 00 00 00  |apple..... .....|');
    assert.equal(lines[3], '0000ffb0  00 00 00 00' + ' '.repeat(39) + '|....|');
    assert.equal(lines[4], '0000ffb4  (4 bytes past the end of linear memory, up to 0x0000ffb8)');
    assert.equal(lines.length, 6); /* and the final newline */
});
