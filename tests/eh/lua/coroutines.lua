-- Coroutines (tests/eh): Lua's yields and errors in coroutines are
-- longjmps. coroutine.wrap and resume, yields across pcall, errors inside
-- coroutines, close, status, and generators.

local gen = coroutine.wrap(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got", d, e)
  return "done"
end)
print(gen(1, 2))
print(gen(10))
print(gen("x", "y"))
print(pcall(gen))

-- yield across pcall: the protected call survives the yield
local co = coroutine.create(function()
  local ok, v = pcall(function()
    local got = coroutine.yield("inside pcall")
    if got == "raise" then error("raised after resume", 0) end
    return got
  end)
  print("pcall returned", ok, v)
  local ok2, v2 = pcall(function()
    local got = coroutine.yield("second pcall")
    error("raised with " .. got, 0)
  end)
  print("pcall returned", ok2, v2)
  return "finished"
end)
print(coroutine.resume(co))
print(coroutine.resume(co, "value"))
print(coroutine.resume(co, "again"))
print(coroutine.status(co))
print(coroutine.resume(co))

-- yield across xpcall with a handler, and across metamethods
local co2 = coroutine.wrap(function()
  print(xpcall(function()
    coroutine.yield(1)
    error("after yield", 0)
  end, function(m) return "handler: " .. m end))
  local t = setmetatable({}, { __index = function(_, k) return coroutine.yield("index " .. k) end })
  print("t.key is", t.key)
  return "end"
end)
print(co2())
print(co2())
print(co2("yielded value"))

-- an error inside a coroutine kills it and is reported by resume
local bad = coroutine.create(function(x)
  coroutine.yield(x)
  local t = nil
  return t.boom
end)
print(coroutine.resume(bad, 5))
local ok, msg = coroutine.resume(bad)
print(ok, msg)
print(coroutine.status(bad), coroutine.resume(bad))

-- the same through wrap: the error propagates to the caller
local w = coroutine.wrap(function() error({ code = 3 }) end)
local okw, ew = pcall(w)
print(okw, type(ew), ew.code)

-- close: pending to-be-closed variables are closed
local cl = coroutine.create(function()
  local r <close> = setmetatable({}, { __close = function() print("closed on coroutine.close") end })
  coroutine.yield("suspended")
end)
print(coroutine.resume(cl))
print(coroutine.close(cl), coroutine.status(cl))

-- yield from nested Lua calls and from inside a sort comparator (a C call)
local function producer(n)
  local function step(i) if i > n then return end coroutine.yield(i) step(i + 1) end
  step(1)
end
local sum = 0
for v in coroutine.wrap(function() producer(50) end) do sum = sum + v end
print("sum", sum)
print(pcall(coroutine.wrap(function() table.sort({ 3, 1, 2 }, function(a, b) coroutine.yield() return a < b end) end)))

-- resuming the running or a dead coroutine, yielding outside one
print(coroutine.resume(coroutine.running()))
print(pcall(coroutine.yield, 1))
print(coroutine.isyieldable())

-- many coroutines alive at once, each suspended in a pcall
local cos = {}
for i = 1, 200 do
  cos[i] = coroutine.create(function() pcall(function() coroutine.yield(i) error(i, 0) end) return i * 2 end)
  coroutine.resume(cos[i])
end
local total = 0
for i = 1, 200 do local _, v = coroutine.resume(cos[i]) total = total + v end
print("total", total)
