-- Lua's error handling over setjmp/longjmp (tests/eh): error values of
-- every type, levels and positions, runtime errors, assert, errors in
-- metamethods, to-be-closed variables, and the interpreter's own limits.
-- Output only (no addresses, no table order): compared with native Lua.

local function show(ok, ...)
  local parts = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    parts[#parts + 1] = type(v) == "table" and ("table:" .. tostring(v.tag)) or tostring(v)
  end
  print(ok, table.concat(parts, " | "))
end

-- error values and levels
show(pcall(error, "plain"))
show(pcall(error, "no position", 0))
show(pcall(function() error("level 1") end))
local function callee() error("level 2", 2) end
show(pcall(function() callee() end))
show(pcall(error, 42))
show(pcall(error, { tag = "a table" }))
show(pcall(error, nil))
show(pcall(error, true))
show(pcall(error))

-- runtime errors raised by the VM
show(pcall(function() local t; return t.field end))
show(pcall(function() return 1 + {} end))
show(pcall(function() return #5 end))
show(pcall(function() return ("x") < 1 end))
show(pcall(function() local s = "abc"; return s:nomethod() end))
show(pcall(function() return 1 // 0 end))
show(pcall(function() return math.tointeger(2^53) | 0.5 end))
show(pcall(string.rep))
show(pcall(string.format, "%d", "x"))
show(pcall(setmetatable, 1, {}))
show(pcall(function() undefined_global() end))

-- assert
show(pcall(assert, false))
show(pcall(assert, nil, "assert message"))
show(pcall(assert, 1 == 1, "not raised"))

-- metamethods that raise
local guarded = setmetatable({}, {
  __index = function(_, k) error("no field " .. k) end,
  __add = function() error({ tag = "from __add" }) end,
  __tostring = function() return "guarded" end,
})
show(pcall(function() return guarded.missing end))
show(pcall(function() return guarded + 1 end))
print(tostring(guarded))

-- to-be-closed variables close while an error unwinds, in reverse order
local function closer(name)
  return setmetatable({}, { __close = function(_, err) print("close", name, err) end })
end
show(pcall(function()
  local a <close> = closer("a")
  local b <close> = closer("b")
  error("unwinding")
end))
-- an error in __close replaces the one being raised
show(pcall(function()
  local c <close> = setmetatable({}, { __close = function() error("from __close") end })
  error("original")
end))

-- errors of the interpreter's own limits
local function forever(n) return 1 + forever(n + 1) end
local ok, msg = pcall(forever, 1)
print(ok, (msg:gsub("^.-:%d+: ", "")))
local function nest(n) if n == 0 then return 0 end return select(2, pcall(nest, n - 1)) end
show(pcall(nest, 300))

-- a caught error leaves the interpreter usable
local total = 0
for i = 1, 1000 do
  local ok2 = pcall(function() if i % 3 == 0 then error(i) end total = total + i end)
  if not ok2 then total = total - 1 end
end
print("total", total)

-- an uncaught error ends the script: lua-main prints it, exits 1
error("the end")
