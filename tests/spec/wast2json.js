#!/usr/bin/env node
// wast2json.js: converts a spec test script (.wast) into the JSON form of
// wabt's wast2json (a "commands" list, the modules as .wasm files next to
// it), which wdb-spectest reads. For the files Debian's wabt 1.0.32 cannot
// parse (exception handling: try_table, throw_ref, exnref): the modules are
// compiled by libwabt.js, wabt's own parser built for node (npm `wabt`,
// pinned by package-lock.json); this script only splits the script into
// its commands and writes their JSON.
//
//   node wast2json.js X.wast -o DIR/X.json
//
// Text modules are parsed and written without validation, so that
// assert_invalid gets the binary the runtime must refuse; `(module quote
// ...)` in assert_malformed is written as a .wat (module_type "text"),
// which wdb-spectest counts as skipped, as for wast2json's output. A
// command this script does not know, or a module libwabt cannot parse,
// fails the conversion (exit status 1).
'use strict';

const fs = require('fs');
const path = require('path');

function die(msg) {
  process.stderr.write(`wast2json.js: ${msg}\n`);
  process.exit(1);
}

// ---------------------------------------------------------------- reader

// S-expressions of the script: {list: [...], start, end, line} or
// {atom: 'text', str: bool, start, end, line}. Strings keep their bytes.
function parse(src) {
  let i = 0, line = 1;
  const top = [], stack = [];
  const cur = () => (stack.length ? stack[stack.length - 1].list : top);
  while (i < src.length) {
    const ch = src[i];
    if (ch === '\n') { line++; i++; continue; }
    if (ch === ' ' || ch === '\t' || ch === '\r') { i++; continue; }
    if (src.startsWith(';;', i)) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (src.startsWith('(;', i)) {
      let depth = 0;
      do {
        if (src.startsWith('(;', i)) { depth++; i += 2; }
        else if (src.startsWith(';)', i)) { depth--; i += 2; }
        else { if (src[i] === '\n') line++; i++; }
        if (i > src.length) die(`line ${line}: unterminated block comment`);
      } while (depth > 0);
      continue;
    }
    if (ch === '(') {
      stack.push({list: [], start: i, line});
      i++;
      continue;
    }
    if (ch === ')') {
      const n = stack.pop();
      if (!n) die(`line ${line}: unbalanced ')'`);
      n.end = i + 1;
      cur().push(n);
      i++;
      continue;
    }
    if (ch === '"') {
      const start = i;
      const bytes = [];
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\') {
          const e = src[i + 1];
          const esc = {n: 10, t: 9, r: 13, '"': 34, "'": 39, '\\': 92};
          if (e in esc) { bytes.push(esc[e]); i += 2; }
          else if (e === 'u') {
            const close = src.indexOf('}', i);
            const cp = parseInt(src.slice(i + 3, close).replace(/_/g, ''), 16);
            bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
            i = close + 1;
          } else {
            bytes.push(parseInt(src.substr(i + 1, 2), 16));
            i += 3;
          }
        } else {
          const cp = src.codePointAt(i);
          const s = String.fromCodePoint(cp);
          if (s === '\n') line++;
          bytes.push(...Buffer.from(s, 'utf8'));
          i += s.length;
        }
      }
      if (i >= src.length) die(`line ${line}: unterminated string`);
      i++;
      cur().push({atom: src.slice(start, i), str: true, bytes: Buffer.from(bytes), start, end: i, line});
      continue;
    }
    const start = i;
    while (i < src.length && !' \t\r\n()";'.includes(src[i])) i++;
    if (i === start) die(`line ${line}: unexpected '${ch}'`);
    cur().push({atom: src.slice(start, i), str: false, start, end: i, line});
  }
  if (stack.length) die(`line ${stack[stack.length - 1].line}: unbalanced '('`);
  return top;
}

const head = (n) => (n.list && n.list.length && !n.list[0].list ? n.list[0].atom : null);
const isName = (n) => n && !n.list && !n.str && n.atom.startsWith('$');

// ---------------------------------------------------------------- modules

const FEATURES = {
  exceptions: true, mutable_globals: true, sat_float_to_int: true, sign_extension: true,
  multi_value: true, tail_call: true, bulk_memory: true, reference_types: true,
  function_references: true,
};

let wabt, src, base, outDir, nmods = 0;

// The binary of a text module (its source text), not validated.
function textModule(text, line) {
  let m;
  try {
    m = wabt.parseWat(`${base}:${line}`, text, FEATURES);
    m.resolveNames();
    return Buffer.from(m.toBinary({}).buffer);
  } catch (e) {
    die(`line ${line}: libwabt cannot compile this module: ${String(e.message || e).trim()}`);
  } finally {
    if (m) m.destroy();
  }
}

// Writes a module command's file; returns {filename, module_type, name}.
function moduleFile(n) {
  const items = n.list.slice(1);
  let name;
  if (isName(items[0])) name = items.shift().atom;
  const kind = items[0] && !items[0].list && !items[0].str ? items[0].atom : null;
  let bytes, ext = 'wasm', type = 'binary';
  if (kind === 'binary') {
    bytes = Buffer.concat(items.slice(1).map((s) => s.bytes));
  } else if (kind === 'quote') {
    bytes = Buffer.concat(items.slice(1).map((s) => s.bytes));
    ext = 'wat';
    type = 'text';
  } else if (kind === 'definition' || kind === 'instance') {
    die(`line ${n.line}: module ${kind} is not supported`);
  } else {
    bytes = textModule(src.slice(n.start, n.end), n.line);
  }
  const filename = `${base}.${nmods++}.${ext}`;
  fs.writeFileSync(path.join(outDir, filename), bytes);
  return {filename, module_type: type, name};
}

// A top-level `(module quote ...)` is compiled as the text it quotes.
function quotedToBinary(n, mf) {
  if (mf.module_type !== 'text') return mf;
  const text = fs.readFileSync(path.join(outDir, mf.filename), 'utf8');
  const filename = mf.filename.replace(/\.wat$/, '.wasm');
  fs.writeFileSync(path.join(outDir, filename), textModule(text, n.line));
  return {filename, module_type: 'binary', name: mf.name};
}

// ---------------------------------------------------------------- values

// The bits of a float literal, as libwabt reads it: a function returning
// it, compiled; the constant is the last bytes before the body's `end`.
function floatBits(type, lit, line) {
  const bin = textModule(`(module (func (result ${type}) (${type}.const ${lit})))`, line);
  const n = type === 'f32' ? 4 : 8;
  const b = bin.subarray(bin.length - 1 - n, bin.length - 1);
  return (type === 'f32' ? BigInt(b.readUInt32LE(0)) : b.readBigUInt64LE(0)).toString();
}

function intBits(lit, bits, line) {
  let s = lit.replace(/_/g, '');
  let neg = false;
  if (s[0] === '-' || s[0] === '+') { neg = s[0] === '-'; s = s.slice(1); }
  let v;
  try { v = BigInt(s); } catch (e) { die(`line ${line}: bad integer ${lit}`); }
  if (neg) v = -v;
  return BigInt.asUintN(bits, v).toString();
}

const REFTYPES = {func: 'funcref', extern: 'externref', exn: 'exnref', funcref: 'funcref',
  externref: 'externref', exnref: 'exnref'};

function value(n) {
  const h = head(n);
  const arg = n.list[1] ? n.list[1].atom : undefined;
  switch (h) {
    case 'i32.const': return {type: 'i32', value: intBits(arg, 32, n.line)};
    case 'i64.const': return {type: 'i64', value: intBits(arg, 64, n.line)};
    case 'f32.const':
    case 'f64.const': {
      const t = h.slice(0, 3);
      if (arg === 'nan:canonical' || arg === 'nan:arithmetic') return {type: t, value: arg};
      return {type: t, value: floatBits(t, arg, n.line)};
    }
    case 'ref.null':
      if (!(arg in REFTYPES)) die(`line ${n.line}: ref.null ${arg} is not supported`);
      return {type: REFTYPES[arg], value: 'null'};
    case 'ref.extern': return {type: 'externref', value: arg === undefined ? '0' : arg};
    case 'ref.func': return {type: 'funcref', value: '0'}; // any non-null function
    case 'ref.exn': return {type: 'exnref', value: '0'};  // any non-null exception
    default: die(`line ${n.line}: unsupported value ${src.slice(n.start, n.end)}`);
  }
}

function action(n) {
  const h = head(n);
  if (h !== 'invoke' && h !== 'get') die(`line ${n.line}: unknown action ${h}`);
  const items = n.list.slice(1);
  const a = {type: h};
  if (isName(items[0])) a.module = items.shift().atom;
  const field = items.shift();
  if (!field || !field.str) die(`line ${n.line}: ${h} without a name`);
  a.field = field.bytes.toString('utf8');
  if (h === 'invoke') a.args = items.map(value);
  return a;
}

const text = (n, line) => {
  if (!n || !n.str) die(`line ${line}: assertion without its message`);
  return n.bytes.toString('utf8');
};

// ---------------------------------------------------------------- commands

function command(n) {
  const h = head(n);
  const line = n.line;
  const l = n.list;
  switch (h) {
    case 'module': {
      const mf = quotedToBinary(n, moduleFile(n));
      const c = {type: 'module', line};
      if (mf.name) c.name = mf.name;
      c.filename = mf.filename;
      return c;
    }
    case 'register': {
      const c = {type: 'register', line, as: text(l[1], line)};
      if (isName(l[2])) c.name = l[2].atom;
      return c;
    }
    case 'invoke':
    case 'get': return {type: 'action', line, action: action(n), expected: []};
    case 'assert_return':
      return {type: 'assert_return', line, action: action(l[1]), expected: l.slice(2).map(value)};
    case 'assert_exception': return {type: 'assert_exception', line, action: action(l[1])};
    case 'assert_exhaustion':
      return {type: 'assert_exhaustion', line, action: action(l[1]), text: text(l[2], line)};
    case 'assert_trap':
      if (head(l[1]) === 'module') {
        const mf = quotedToBinary(l[1], moduleFile(l[1]));
        return {type: 'assert_uninstantiable', line, filename: mf.filename, text: text(l[2], line),
          module_type: 'binary'};
      }
      return {type: 'assert_trap', line, action: action(l[1]), text: text(l[2], line)};
    case 'assert_invalid':
    case 'assert_malformed':
    case 'assert_unlinkable': {
      let mf = moduleFile(l[1]);
      if (h !== 'assert_malformed') mf = quotedToBinary(l[1], mf);
      return {type: h, line, filename: mf.filename, text: text(l[2], line),
        module_type: mf.module_type};
    }
    default: die(`line ${line}: unknown command ${h || '(list)'}`);
  }
}

async function main() {
  const args = process.argv.slice(2);
  const o = args.indexOf('-o');
  if (args.length !== 3 || o < 0 || o === 2) die('usage: node wast2json.js X.wast -o DIR/X.json');
  const out = args[o + 1];
  const wast = args[o === 0 ? 2 : 0];
  src = fs.readFileSync(wast, 'utf8');
  outDir = path.dirname(out);
  base = path.basename(out, '.json');
  wabt = await require('wabt')();
  const commands = parse(src).map(command);
  fs.writeFileSync(out, JSON.stringify({source_filename: wast, commands}, null, 1) + '\n');
}

main().catch((e) => die(String(e && e.stack || e)));
