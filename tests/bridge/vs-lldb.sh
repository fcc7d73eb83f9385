#!/usr/bin/env bash
# Differential test of the DWARF reader against lldb-22 on one module.
#
#   vs-lldb.sh --wdb WDB --lldb LLDB --wasm X.wasm --source FILE [--cxx] --work DIR
#
# 1. Addresses: every line-table row start (end_sequence rows excluded) of
#    the units built from FILE, plus the first row of every other unit (the
#    C library's), from `wdb lines`.
# 2. `wdb symbolize -a -f -i` and lldb-22's `image lookup -v -a ADDR` for
#    all of them, both normalized to "ADDR FRAME | FRAME ..." with
#    FRAME = NAME@BASENAME:LINE[:COL] (lldb's Summary lines: the innermost
#    frame with the line-table location, each caller of an inlined copy with
#    the call site), plus the line entry's full path for the innermost frame.
#    Names: lldb prints C++ names with their parameters (and a template
#    instance's return type), which are cut: wdb prints DWARF's qualified
#    names;
#    `__main_argc_argv` is main's linkage name in Wasm, printed as "main".
# 3. `b FILE:LINE` for every line of FILE and the source lines past its end,
#    lldb's locations vs `wdb resolve`.
# Any difference fails the test and is printed.
set -euo pipefail

cxx=0
while [ $# -gt 0 ]; do
  case "$1" in
    --wdb) WDB=$2; shift 2 ;;
    --lldb) LLDB=$2; shift 2 ;;
    --wasm) WASM=$2; shift 2 ;;
    --source) SRC=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --cxx) cxx=1; shift ;;
    *) echo "vs-lldb.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$WORK"
base=$(basename "$SRC")
name=$(basename "$WASM" .wasm)
W=$WORK/$name
export LC_ALL=C

# ---- 1. addresses
"$WDB" lines "$WASM" > "$W.lines"
awk -v src="$SRC" '
  /^unit / { mine = (substr($0, 6) == src); first = 1; next }
  / end_sequence$/ { next }
  { if (mine || first) print $1; first = 0 }' "$W.lines" | sort -u > "$W.addrs"
naddrs=$(wc -l < "$W.addrs")
if [ "$naddrs" -lt 20 ]; then
  echo "FAIL: only $naddrs addresses from wdb lines (is $SRC in the module?)"; exit 1
fi

# ---- 2. symbolize vs image lookup
flags=(-a -f -i)
[ $cxx = 1 ] && flags+=(-C)
# shellcheck disable=SC2046
"$WDB" symbolize "${flags[@]}" "$WASM" $(cat "$W.addrs") > "$W.wdb.raw"
awk '
  function hx(s) { s = tolower(s); sub(/^0x/, "", s); sub(/^0+/, "", s); if (s == "") s = "0"; return "0x" s }
  function norm(f) { if (f == "__main_argc_argv") return "main"; return f }
  function loc(s,   n, p, b) {
    # FILE:LINE[:COL] -> BASENAME:LINE[:COL]; a column on line 0 is dropped
    n = split(s, p, ":")
    b = p[1]; sub(/.*\//, "", b)
    if (n >= 3 && p[2] != "0" && p[3] != "0") return b ":" p[2] ":" p[3]
    return b ":" p[2]
  }
  function flush() { if (addr != "") print addr " " full " " frames }
  /^0x/ { flush(); addr = hx($1); frames = ""; full = ""; next }
  {
    line = $0; inl = sub(/^\(inlined by\) /, "", line)
    i = index(line, " at "); fn = norm(substr(line, 1, i - 1)); where = substr(line, i + 4)
    if (where == "??:0") { where = "??" }
    else { if (!inl) { full = where; sub(/:[0-9]+(:[0-9]+)?$/, "", full) } where = loc(where) }
    if (!inl && where == "??") full = "-"
    frames = frames (frames == "" ? "" : " | ") fn "@" where
  }
  END { flush() }' "$W.wdb.raw" > "$W.wdb"

{
  echo "target create \"$WASM\""
  sed 's/^/image lookup -v -a /' "$W.addrs"
} > "$W.lldb.cmds"
timeout 600 "$LLDB" -b -x -s "$W.lldb.cmds" > "$W.lldb.raw" 2>&1 || true
awk '
  function hx(s) { s = tolower(s); sub(/^0x/, "", s); sub(/^0+/, "", s); if (s == "") s = "0"; return "0x" s }
  function norm(f) {
    sub(/ \+ [0-9]+$/, "", f)
    # cut a C++ parameter list: from the "(" that closes at the end
    if (f ~ /\)( const)?$/) {
      d = 0
      for (k = length(f); k > 0; k--) {
        c = substr(f, k, 1)
        if (c == ")") d++
        else if (c == "(") { d--; if (d == 0) { f = substr(f, 1, k - 1); break } }
      }
    }
    # a template instance carries its return type: "int ns::f<int>"
    if (f ~ /</) sub(/^[^<]* /, "", f)
    if (f == "__main_argc_argv") return "main"
    return f
  }
  function frame(s,   fn, where, i) {
    sub(/^[^`]*`/, "", s)
    i = index(s, " [inlined] ")
    if (i) s = substr(s, i + 11)
    i = index(s, " at ")
    if (i) { fn = substr(s, 1, i - 1); where = substr(s, i + 4) }
    else { fn = s; where = "??" }
    if (where != "??" && where !~ /:[0-9]+/) where = where ":0"
    return norm(fn) "@" where
  }
  function flush() { if (addr != "") print addr " " (full == "" ? "-" : full) " " frames }
  /^\(lldb\) image lookup/ { flush(); addr = hx($NF); frames = ""; full = ""; insum = 0; next }
  /^ *Summary: / { s = $0; sub(/^ *Summary: /, "", s); frames = frame(s); insum = 1; next }
  insum && /^               [^ ]/ { s = $0; sub(/^ +/, "", s); frames = frames " | " frame(s); next }
  { insum = 0 }
  /^ *LineEntry: / {
    s = $0; sub(/^ *LineEntry: \[[^)]*\): /, "", s); sub(/:[0-9]+(:[0-9]+)?$/, "", s); full = s
  }
  END { flush() }' "$W.lldb.raw" > "$W.lldb"

fail=0
nl=$(wc -l < "$W.lldb")
if [ "$nl" -ne "$naddrs" ]; then
  echo "FAIL: lldb answered $nl of $naddrs lookups (see $W.lldb.raw)"; fail=1
fi
if ! diff "$W.lldb" "$W.wdb" > "$W.sym.diff"; then
  echo "FAIL: wdb symbolize and lldb-22 image lookup differ (< lldb, > wdb):"
  head -40 "$W.sym.diff"
  fail=1
else
  echo "symbolize: $naddrs addresses agree with lldb-22"
fi

# ---- 3. breakpoints by file:line
nlines=$(( $(wc -l < "$SRC") + 3 ))
{
  echo "target create \"$WASM\""
  for l in $(seq 1 "$nlines"); do echo "breakpoint set -f $base -l $l"; done
  echo "breakpoint list"
} > "$W.bp.cmds"
timeout 600 "$LLDB" -b -x -s "$W.bp.cmds" > "$W.bp.raw" 2>&1 || true
awk '
  function hx(s) { s = tolower(s); sub(/^0x/, "", s); sub(/^0+/, "", s); if (s == "") s = "0"; return "0x" s }
  /^[0-9]+: file = / { split($0, a, "line = "); split(a[2], b, ","); line = b[1]; if ($0 ~ /locations = 0/) print line " -"; next }
  /^  [0-9]+\.[0-9]+: where = / {
    s = $0; i = index(s, "address = "); s = substr(s, i + 10); sub(/,.*/, "", s)
    sub(/.*\[/, "", s); sub(/\]/, "", s)
    w = $0; sub(/.* at /, "", w); sub(/, address = .*/, "", w); split(w, p, ":")
    printf "%s %s:%s\n", line, hx(s), p[2]
  }' "$W.bp.raw" | sort -k1,1n -k2 > "$W.bp.lldb"
args=()
for l in $(seq 1 "$nlines"); do args+=("$base:$l"); done
"$WDB" resolve "$WASM" "${args[@]}" | awk '
  function hx(s) { s = tolower(s); sub(/^0x/, "", s); sub(/^0+/, "", s); if (s == "") s = "0"; return "0x" s }
  { split($1, a, ":"); line = a[2] + 0
    if ($2 == "not") { print line " -"; next }
    split($3, p, ":"); printf "%s %s:%s\n", line, hx($2), p[2] }' \
  | sort -k1,1n -k2 > "$W.bp.wdb"
# Per line: lldb's and wdb's locations. A difference is accepted only when
# every location lldb chose is a row without is_stmt: lldb-22 ignores the
# flag, wdb (like gdb) only stops where the compiler recommends
# (DWARF 5, 6.2.2: is_stmt "a recommended breakpoint location").
awk '/ stmt/ { print $1 }' "$W.lines" | sort -u > "$W.stmt"
join_lines() { awk '{ a[$1] = a[$1] (a[$1] == "" ? "" : ",") $2 } END { for (l in a) print l, a[l] }' "$1" | sort -n; }
join_lines "$W.bp.lldb" > "$W.bp.lldb.j"
join_lines "$W.bp.wdb" > "$W.bp.wdb.j"
known=0
while read -r l lldb_locs; do
  wdb_locs=$(awk -v l="$l" '$1 == l { print $2 }' "$W.bp.wdb.j")
  [ "$lldb_locs" = "$wdb_locs" ] && continue
  all_nonstmt=1
  for loc in ${lldb_locs//,/ }; do
    a=${loc%%:*}
    if [ "$a" = "-" ] || awk -v a="$a" 'BEGIN { r = 1 } { x = tolower($1); sub(/^0x0*/, "0x", x); if (x == a) r = 0 } END { exit r }' "$W.stmt"; then
      all_nonstmt=0
    fi
  done
  if [ $all_nonstmt = 1 ]; then
    echo "known: $base:$l lldb-22 $lldb_locs (rows without is_stmt), wdb $wdb_locs"
    known=$((known + 1))
  else
    echo "FAIL: $base:$l lldb-22 $lldb_locs, wdb $wdb_locs"
    fail=1
  fi
done < "$W.bp.lldb.j"
echo "breakpoints: $nlines lines of $base: $(grep -vc ' -$' "$W.bp.wdb") locations, $known known is_stmt differences"
exit $fail
