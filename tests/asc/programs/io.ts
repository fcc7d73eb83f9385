// A console for wdb-run, which gives a program WASI only: AssemblyScript
// 0.28 has no WASI of its own, so fd_write is imported by hand.
@external("wasi_snapshot_preview1", "fd_write")
declare function fd_write(fd: u32, iovs: usize, iovs_len: u32, nwritten: usize): u32;

export function print(s: string): void {
  const buf = String.UTF8.encode(s + "\n");
  const iov = memory.data(16);
  store<u32>(iov, changetype<usize>(buf));
  store<u32>(iov, <u32>buf.byteLength, 4);
  fd_write(1, iov, 1, iov + 8);
}

// asc's `abort` (a failed bounds check, assert, throw) is an import from
// the host; compiled with --use abort=io/abortTrap it is this, a trap.
export function abortTrap(msg: string | null, file: string | null, line: u32, col: u32): void {
  unreachable();
}
