/* The README documents every launch and attach setting the extension
 * declares (package.json's configurationAttributes) and every user
 * setting (contributes.configuration): WDB_EXT_SRC is the extension's
 * source folder. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'node:test';

const SRC = process.env.WDB_EXT_SRC ?? '';

test('every configuration attribute and setting is in the README', () => {
    assert.ok(SRC, 'WDB_EXT_SRC is not set');
    const pkg = JSON.parse(fs.readFileSync(path.join(SRC, 'package.json'), 'utf8'));
    const readme = fs.readFileSync(path.join(SRC, 'README.md'), 'utf8');
    const names = new Set<string>();
    for (const d of pkg.contributes.debuggers ?? []) {
        for (const req of Object.keys(d.configurationAttributes ?? {})) {
            for (const k of Object.keys(d.configurationAttributes[req].properties ?? {})) names.add(k);
        }
    }
    for (const k of Object.keys(pkg.contributes.configuration?.properties ?? {})) names.add(k);
    assert.ok(names.size > 10, `only ${names.size} settings found in package.json`);
    const missing = [...names].filter((k) => !readme.includes('`' + k + '`') && !readme.includes('"' + k + '"'));
    assert.deepEqual(missing, [], `not in README.md: ${missing.join(', ')}`);
});
