/* The packaged extension (WDB_VSIX, built by the CMake target wdb_vscode):
 * a zip holding the compiled extension and the `ws` package it loads, and
 * neither the TypeScript sources nor the tests. Reads the zip's central
 * directory (APPNOTE.TXT 4.3.12, 4.3.16) with no unzip tool. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import { test } from 'node:test';

const VSIX = process.env.WDB_VSIX ?? '';

/* The names of a zip file's entries. */
export function zipEntries(buf: Buffer): string[] {
    const EOCD = 0x06054b50;
    const CDH = 0x02014b50;
    let end = -1;
    for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
        if (buf.readUInt32LE(i) === EOCD) {
            end = i;
            break;
        }
    }
    assert.ok(end >= 0, 'no end of central directory record: not a zip file');
    const count = buf.readUInt16LE(end + 10);
    let off = buf.readUInt32LE(end + 16);
    const names: string[] = [];
    for (let n = 0; n < count; n++) {
        assert.equal(buf.readUInt32LE(off), CDH, `central directory entry ${n}`);
        const nameLen = buf.readUInt16LE(off + 28);
        const extraLen = buf.readUInt16LE(off + 30);
        const commentLen = buf.readUInt16LE(off + 32);
        names.push(buf.toString('utf8', off + 46, off + 46 + nameLen));
        off += 46 + nameLen + extraLen + commentLen;
    }
    return names;
}

test('the .vsix holds out/extension.js, package.json and node_modules/ws, no sources or tests', { skip: VSIX === '' ? 'WDB_VSIX not set' : false }, () => {
    const names = zipEntries(fs.readFileSync(VSIX));
    for (const want of [
        'extension.vsixmanifest',
        'extension/package.json',
        'extension/out/extension.js',
        'extension/out/forwarder.js',
        'extension/node_modules/ws/package.json',
        'extension/node_modules/ws/index.js',
    ]) {
        assert.ok(names.includes(want), `${want} missing from ${VSIX}:\n${names.join('\n')}`);
    }
    for (const name of names) {
        assert.ok(!name.startsWith('extension/src/'), `${name}: sources are not shipped`);
        assert.ok(!name.startsWith('extension/out/test/'), `${name}: tests are not shipped`);
        assert.ok(!name.includes('node_modules/typescript/'), `${name}: dev dependencies are not shipped`);
        assert.ok(!name.endsWith('.map'), `${name}: no source maps`);
    }
});
