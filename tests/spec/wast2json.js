#!/usr/bin/env node
// wast2json.js: converts a spec test script (.wast) into the JSON form of
// wabt's wast2json (a "commands" list, the modules as .wasm files next to
// it), which wdb-spectest reads. For the files Debian's wabt 1.0.32 cannot
// parse (exception handling: try_table, throw_ref, exnref): the modules are
// compiled by libwabt.js, wabt's own parser built for node (npm `wabt`,
// pinned by package-lock.json); this script only splits the script into
// its commands and writes their JSON, and compiles the modules with Wasm
// 3.0 types (rec groups, sub types, typed references), which libwabt
// cannot, itself around libwabt (typedModule).
//
//   node wast2json.js [--unsupported FIRST-LAST:REASON]... X.wast -o DIR/X.json
//
// --unsupported: the commands on lines FIRST..LAST need a feature the
// runtime does not have (REASON says which); they become commands of type
// "unsupported" with the reason, which wdb-spectest counts and reports as
// skipped. The list is kept in tests/spec/CMakeLists.txt, next to the file.
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

// The binary of a text module (its source text), not validated. With its
// node n, a module with Wasm 3.0 types (rec, sub, (ref ...), ref.null of
// a type) is compiled by typedModule.
function textModule(text, line, n) {
  if (n && /\((rec|ref|sub)[\s)]|ref\.null\s+[$0-9]/.test(text)) return typedModule(n);
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

// ------------------------------------------- Wasm 3.0 function types

// libwabt 1.0.39 parses neither rec groups nor sub types, and its typed
// references are the function-references draft's ((ref $t) only, encoded
// 0x6b): a module with them is compiled with the rec and sub wrappers
// taken off its types, each typed reference replaced by (ref K), K a
// placeholder type appended to the module, and the binary is then
// rewritten: its type section again in its rec groups and sub types (the
// placeholders dropped, libwabt's implicit types after them renumbered),
// every placeholder value type as its real encoding (0x63/0x64 heap type).
// The instructions are walked with the immediates' shapes of
// runtime/wasmfmt/include/wdb/wasm_ops.h. Struct and array types are not
// converted; an inline type use ((func (param ...))) is matched by libwabt
// to the first equal type even in a rec group, where the text format would
// make a new type: such modules must name their types.

let OPS; // {op: imm, fc: {sub: imm}, fd: {sub: imm}}
function opTable() {
  if (OPS) return OPS;
  const h = fs.readFileSync(path.join(__dirname, '../../runtime/wasmfmt/include/wdb/wasm_ops.h'), 'utf8');
  OPS = {op: {}, fc: {}, fd: {}};
  let cur = null; // the table of the macro being read
  for (const l of h.split('\n')) {
    const d = /^#define WASM_OPS(_FC|_FD)?\(X\)/.exec(l);
    const x = /^\s*X\((0x[0-9a-fA-F]+|\d+),\s*\w+,\s*"[^"]*",\s*(\w+)/.exec(l);
    if (d) cur = d[1] ? OPS[d[1].slice(1).toLowerCase()] : OPS.op;
    else if (x && cur) cur[Number(x[1])] = x[2];
    else cur = null;
  }
  if (!OPS.op[0x02] || !OPS.fc[8]) die('cannot read the instruction table of wasm_ops.h');
  return OPS;
}

const ABSTRACT = {func: 0x70, extern: 0x6f, exn: 0x69};

function typedModule(n) {
  const line = n.line;
  const fail = (why) => die(`line ${line}: cannot compile this module with Wasm 3.0 types: ${why}`);
  const items = n.list.slice(1);
  // the explicit types: names, rec groups, sub types
  const names = new Map(), defs = [], groups = [], edits = [];
  let ntypes = 0;
  const typeDef = (t) => {
    const l = t.list;
    let k = 1;
    if (isName(l[k])) names.set(l[k++].atom, ntypes);
    const body = l[k];
    const d = {sub: false, final: true, sup: null};
    if (body && head(body) === 'sub') {
      const sl = body.list;
      let j = 1;
      d.sub = true;
      d.final = false;
      if (sl[j] && sl[j].atom === 'final') { d.final = true; j++; }
      if (sl[j] && !sl[j].list) d.sup = sl[j++].atom;
      if (!sl[j] || head(sl[j]) !== 'func' || sl.length !== j + 1) fail('a sub type that is not one function type');
      edits.push({start: body.start, end: sl[j].start, text: ''}, {start: body.end - 1, end: body.end, text: ''});
    } else if (!body || head(body) !== 'func') {
      fail(`type ${ntypes} is not a function type (struct and array types are not supported)`);
    }
    defs.push(d);
    return ntypes++;
  };
  for (const f of items) {
    if (head(f) === 'type') {
      groups.push({start: typeDef(f), len: 1, rec: false});
    } else if (head(f) === 'rec') {
      const g = {start: ntypes, len: 0, rec: true};
      for (const t of f.list.slice(1)) {
        if (head(t) !== 'type') fail('a rec group holds types only');
        typeDef(t);
        g.len++;
      }
      groups.push(g);
      edits.push({start: f.start, end: f.list[0].end, text: ''}, {start: f.end - 1, end: f.end, text: ''});
    }
  }
  const E = ntypes;
  const typeIndex = (a) => {
    const i = a.startsWith('$') ? names.get(a) : Number(a);
    if (i === undefined || !(i < E)) fail(`unknown type ${a} in a typed reference`);
    return i;
  };
  for (const d of defs) if (d.sup !== null) d.sup = typeIndex(d.sup);
  // the typed references: placeholders K = E + j; the heap types of
  // ref.null (libwabt takes func, extern and exn only), in the order the
  // binary has them: global inits, element segments, function bodies
  const holders = [], holderOf = new Map(), nulls = {6: [], 9: [], 10: []};
  let bucket = null;
  const walk = (x) => {
    if (!x.list) return;
    x.list.forEach((a, i) => {
      const h = x.list[i + 1];
      if (a.list || a.str || a.atom !== 'ref.null' || !h || h.list || h.str) return;
      if (!bucket) fail('ref.null outside a function, global or element segment');
      if (h.atom in ABSTRACT) {
        bucket.push({abs: ABSTRACT[h.atom]});
      } else {
        bucket.push({idx: typeIndex(h.atom)});
        edits.push({start: h.start, end: h.end, text: 'func'});
      }
    });
    if (head(x) === 'ref' && (x.list.length === 2 || x.list.length === 3)) {
      const nullable = x.list.length === 3;
      if (nullable && x.list[1].atom !== 'null') fail(`unknown reference type ${src.slice(x.start, x.end)}`);
      const ht = x.list[x.list.length - 1].atom;
      let text;
      if (nullable && ht in ABSTRACT) {
        text = `${ht}ref`;
      } else {
        const heap = ht in ABSTRACT ? {abs: ABSTRACT[ht]} : {idx: typeIndex(ht)};
        const key = `${nullable}:${heap.abs !== undefined ? 'a' + heap.abs : heap.idx}`;
        if (!holderOf.has(key)) {
          holderOf.set(key, holders.length);
          holders.push({nullable, heap});
        }
        text = `(ref ${E + holderOf.get(key)})`;
      }
      edits.push({start: x.start, end: x.end, text});
      return;
    }
    x.list.forEach(walk);
  };
  for (const f of items) {
    const imported = f.list && f.list.some((x) => head(x) === 'import');
    const kind = {func: 10, global: 6, elem: 9, table: 9}[head(f)];
    bucket = kind && !imported ? nulls[kind] : null;
    walk(f);
  }
  const D = holders.length;
  const dummy = '(type (func (param i64 f64 i64 f32 f64 i32 i64 f32 f64) (result f32 f64 i32 i64 f64)))';
  edits.push({start: n.end - 1, end: n.end - 1, text: (' ' + dummy).repeat(D) + ' '});
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  let text = '', at = n.start;
  for (const e of edits) {
    if (e.start < at) fail('overlapping rewrites');
    text += src.slice(at, e.start) + e.text;
    at = e.end;
  }
  text += src.slice(at, n.end);
  const bin = textModule(text, line);
  return rewriteBinary(bin, {E, D, defs, groups, holders, nulls}, fail);
}

// ------------------------------------------------ binary rewriting

function leb(v, signed) {
  const out = [];
  let x = BigInt(v);
  for (;;) {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    const done = signed ? (x === 0n && !(b & 0x40)) || (x === -1n && (b & 0x40)) : x === 0n;
    if (!done) b |= 0x80;
    out.push(b);
    if (done) return out;
  }
}

function rewriteBinary(bin, m, fail) {
  const ops = opTable();
  let p = 0, end = bin.length;
  const u8 = () => { if (p >= end) fail('truncated binary'); return bin[p++]; };
  const rleb = (signed, bits) => {
    let r = 0n, shift = 0n, b;
    do { b = u8(); r |= BigInt(b & 0x7f) << shift; shift += 7n; } while (b & 0x80);
    if (signed && shift < BigInt(bits) + 7n && (b & 0x40)) r -= 1n << shift;
    return r;
  };
  const u32 = () => Number(rleb(false, 32));
  let out = [], nulls = null, nullAt = 0;
  const putAll = (a) => { for (const x of a) out.push(x); };
  const put = (...b) => putAll(b);
  const putU = (v) => put(...leb(v, false));
  const copy = (from) => { for (let i = from; i < p; i++) out.push(bin[i]); };
  // type indices of libwabt's binary -> the real ones
  const tidx = (i) => {
    if (i < m.E) return i;
    if (i < m.E + m.D) fail('a placeholder type used as a type');
    return i - m.D;
  };
  const heapBytes = (h) => (h.abs !== undefined ? [h.abs] : leb(h.idx, true));
  const valtype = () => {
    const b = u8();
    if (b === 0x6b || b === 0x6c) { // libwabt's (ref K)
      const k = Number(rleb(true, 33)) - m.E;
      if (k < 0 || k >= m.D) fail('a typed reference libwabt made itself');
      const h = m.holders[k];
      put(h.nullable ? 0x63 : 0x64, ...heapBytes(h.heap));
    } else put(b);
  };
  const copyU = () => { const s = p; rleb(false, 64); copy(s); };
  const blocktype = () => {
    const b = bin[p];
    if (b === 0x40 || (b >= 0x69 && b <= 0x7f) || b === 0x6b || b === 0x6c) return valtype();
    put(...leb(tidx(Number(rleb(true, 33))), true));
  };
  const imm = (kind) => {
    const s = p;
    switch (kind) {
      case 'NONE': break;
      case 'BLOCK': blocktype(); return;
      case 'TRY_TABLE': {
        blocktype();
        const n = u32();
        putU(n);
        for (let i = 0; i < n; i++) {
          const c = u8();
          put(c);
          const s2 = p;
          if (c < 2) u32();
          u32();
          copy(s2);
        }
        return;
      }
      case 'LABEL': case 'FUNC': case 'INDEX': case 'MEMIDX': u32(); break;
      case 'CALL_IND': putU(tidx(u32())); copyU(); return;
      case 'BR_TABLE': { const n = u32(); for (let i = 0; i <= n; i++) u32(); break; }
      case 'MEMARG': case 'MEM_INIT': case 'MEM_COPY': case 'TABLE_INIT': case 'TABLE_COPY':
        u32(); rleb(false, 64); break;
      case 'MEMARG_LANE': u32(); rleb(false, 64); u8(); break;
      case 'I32': case 'I64': rleb(true, 64); break;
      case 'F32': p += 4; break;
      case 'F64': p += 8; break;
      case 'V128': case 'SHUFFLE': p += 16; break;
      case 'LANE': p += 1; break;
      case 'SELECT_T': { const n = u32(); putU(n); for (let i = 0; i < n; i++) valtype(); return; }
      case 'REFTYPE': { // ref.null: its heap type, the next one of the text's
        const b = u8(), h = (nulls || [])[nullAt++];
        if (!h || b !== (h.abs !== undefined ? h.abs : ABSTRACT.func)) fail('ref.null out of step with the text');
        put(...heapBytes(h));
        return;
      }
      default: fail(`instruction immediates ${kind}`);
    }
    if (p > end) fail('truncated binary');
    copy(s);
  };
  // instructions up to the `end` closing depth 0 (a constant expression)
  // or to `stop` (a function body)
  const instrs = (stop) => {
    let depth = 0;
    while (stop !== undefined ? p < stop : true) {
      const op = u8();
      put(op);
      if (op === 0x0b) { if (depth-- === 0 && stop === undefined) return; continue; }
      if (op === 0xfc || op === 0xfd) {
        const sub = u32();
        putU(sub);
        const k = (op === 0xfc ? ops.fc : ops.fd)[sub];
        if (!k) fail(`unknown instruction 0x${op.toString(16)} ${sub}`);
        imm(k);
        continue;
      }
      const k = ops.op[op];
      if (!k) fail(`unknown instruction 0x${op.toString(16)}`);
      if (k === 'BLOCK' || k === 'TRY_TABLE') depth++;
      imm(k);
    }
  };
  const limits = () => { const s = p; const f = u8(); rleb(false, 64); if (f & 1) rleb(false, 64); copy(s); };
  const section = {
    1: () => { // types: libwabt's, without the placeholders, in their groups
      const n = u32(), types = [];
      for (let i = 0; i < n; i++) {
        const save = out;
        out = [];
        if (u8() !== 0x60) fail('a type that is not a function type');
        put(0x60);
        for (let r = 0; r < 2; r++) { const c = u32(); putU(c); for (let j = 0; j < c; j++) valtype(); }
        types.push(out);
        out = save;
      }
      const enc = (i) => {
        const d = m.defs[i];
        if (d && d.sub) return [d.final ? 0x4f : 0x50, ...(d.sup === null ? [0] : [1, ...leb(d.sup, false)]), ...types[i]];
        return types[i];
      };
      const gs = m.groups.slice();
      for (let i = m.E + m.D; i < n; i++) gs.push({start: i, len: 1, rec: false});
      putU(gs.length);
      for (const g of gs) {
        if (g.rec) put(0x4e, ...leb(g.len, false));
        for (let i = g.start; i < g.start + g.len; i++) put(...enc(i));
      }
    },
    2: () => {
      const n = u32();
      putU(n);
      for (let i = 0; i < n; i++) {
        let s = p;
        for (let k = 0; k < 2; k++) { const l = u32(); p += l; }
        const kind = u8();
        copy(s);
        if (kind === 0 || kind === 4) {
          if (kind === 4) put(u8());
          putU(tidx(u32()));
        } else if (kind === 1) { valtype(); limits(); }
        else if (kind === 2) limits();
        else if (kind === 3) { valtype(); put(u8()); }
        else fail(`import kind ${kind}`);
      }
    },
    3: () => { const n = u32(); putU(n); for (let i = 0; i < n; i++) putU(tidx(u32())); },
    4: () => {
      const n = u32();
      putU(n);
      for (let i = 0; i < n; i++) {
        if (bin[p] === 0x40) { put(u8(), u8()); valtype(); limits(); instrs(); }
        else { valtype(); limits(); }
      }
    },
    6: () => { const n = u32(); putU(n); for (let i = 0; i < n; i++) { valtype(); put(u8()); instrs(); } },
    9: () => {
      const n = u32();
      putU(n);
      for (let i = 0; i < n; i++) {
        const f = u32();
        putU(f);
        if (f & 2 && !(f & 1)) putU(u32()); // the table
        if (!(f & 1)) instrs();                 // the offset
        if (f & 3) { if (f & 4) valtype(); else put(u8()); }
        const c = u32();
        putU(c);
        for (let k = 0; k < c; k++) { if (f & 4) instrs(); else putU(u32()); }
      }
    },
    10: () => {
      const n = u32();
      putU(n);
      for (let i = 0; i < n; i++) {
        const size = u32(), bodyEnd = p + size, save = out;
        out = [];
        const g = u32();
        putU(g);
        for (let k = 0; k < g; k++) { putU(u32()); valtype(); }
        instrs(bodyEnd);
        const body = out;
        out = save;
        putU(body.length);
        putAll(body);
      }
    },
    13: () => { const n = u32(); putU(n); for (let i = 0; i < n; i++) { put(u8()); putU(tidx(u32())); } },
  };
  put(...bin.subarray(0, 8));
  p = 8;
  while (p < bin.length) {
    const id = u8(), size = u32(), secEnd = p + size;
    const save = out;
    out = [];
    end = secEnd;
    nulls = m.nulls[id];
    nullAt = 0;
    if (section[id]) section[id]();
    else { p = secEnd; copy(secEnd - size); }
    if (nulls && nullAt !== nulls.length) fail(`section ${id}: ref.null out of step with the text`);
    if (p !== secEnd) fail(`section ${id} not read to its end`);
    const body = out;
    out = save;
    end = bin.length;
    put(id, ...leb(body.length, false));
    putAll(body);
  }
  return Buffer.from(out);
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
    bytes = textModule(src.slice(n.start, n.end), n.line, n);
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

let unsupported = [];

function command(n) {
  const h = head(n);
  const line = n.line;
  const l = n.list;
  const u = unsupported.find((r) => line >= r.first && line <= r.last);
  if (u) {
    u.used = true;
    return {type: 'unsupported', line, text: u.reason};
  }
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
  while (args[0] === '--unsupported') {
    const m = /^(\d+)-(\d+):(.+)$/.exec(args[1] || '');
    if (!m) die(`bad --unsupported ${args[1]}: FIRST-LAST:REASON expected`);
    unsupported.push({first: +m[1], last: +m[2], reason: m[3]});
    args.splice(0, 2);
  }
  const o = args.indexOf('-o');
  if (args.length !== 3 || o < 0 || o === 2) {
    die('usage: node wast2json.js [--unsupported FIRST-LAST:REASON]... X.wast -o DIR/X.json');
  }
  const out = args[o + 1];
  const wast = args[o === 0 ? 2 : 0];
  src = fs.readFileSync(wast, 'utf8');
  outDir = path.dirname(out);
  base = path.basename(out, '.json');
  wabt = await require('wabt')();
  const commands = parse(src).map(command);
  for (const u of unsupported) {
    if (!u.used) die(`--unsupported ${u.first}-${u.last}: no command there (a stale range?)`);
  }
  fs.writeFileSync(out, JSON.stringify({source_filename: wast, commands}, null, 1) + '\n');
}

main().catch((e) => die(String(e && e.stack || e)));
