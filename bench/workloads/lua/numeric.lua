-- Recursion, integer arithmetic and closures: n-queens counted by
-- backtracking, permutations flipped fannkuch-style as a generator hands
-- them to a callback, and a memoized partition count. Prints a checksum.
-- (No coroutines: Lua 5.4 yields by longjmp, which the bench's build of
-- Lua does not have, see shim/bench-lua.h.)
local function queens(n)
  local cols, d1, d2, count = {}, {}, {}, 0
  local function place(r)
    if r > n then count = count + 1; return end
    for c = 1, n do
      if not cols[c] and not d1[r + c] and not d2[r - c + n] then
        cols[c], d1[r + c], d2[r - c + n] = true, true, true
        place(r + 1)
        cols[c], d1[r + c], d2[r - c + n] = false, false, false
      end
    end
  end
  place(1)
  return count
end

local function permutations(n, each)
  local p = {}
  for i = 1, n do p[i] = i end
  local function gen(k)
    if k == 0 then each(p); return end
    for i = 1, k do
      gen(k - 1)
      local j = (k % 2 == 0) and i or 1
      p[j], p[k] = p[k], p[j]
    end
  end
  gen(n)
end

local function flips(p)
  local q, f = {}, 0
  for i = 1, #p do q[i] = p[i] end
  while q[1] ~= 1 do
    local k, i, j = q[1], 1, q[1]
    while i < j do q[i], q[j] = q[j], q[i]; i = i + 1; j = j - 1 end
    f = f + 1
  end
  return f
end

local memo = {}
local function partitions(n, m)
  if n == 0 then return 1 end
  if n < 0 or m == 0 then return 0 end
  local key = n * 1000 + m
  local v = memo[key]
  if v then return v end
  v = (partitions(n - m, m) + partitions(n, m - 1)) % 1000000007
  memo[key] = v
  return v
end

local q = queens(9)
local maxf, total = 0, 0
permutations(9, function(p)
  local f = flips(p)
  total = total + f
  if f > maxf then maxf = f end
end)
local parts = partitions(400, 400)
local sum = (q * 1000003 + total * 31 + maxf + parts) % 4294967296
print(string.format("numeric: queens=%d flips=%d/%d partitions=%d checksum=%d",
                    q, maxf, total, parts, sum))
