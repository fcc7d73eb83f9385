-- pcall and xpcall (tests/eh): message handlers, errors inside handlers,
-- nesting, and protected calls through C functions (table.sort, string.gsub,
-- tostring's __tostring, load).

print(pcall(function(...) return ... end, 1, 2, 3))
print(select("#", pcall(function() end)))

-- xpcall's handler sees the original error and what it returns is the result
print(xpcall(function() error("oops") end, function(m) return "handled: " .. m end))
print(xpcall(function(a, b) return a + b end, print, 3, 4))
print(xpcall(function() error({ code = 7 }) end, function(e) return e.code * 6 end))
-- an error inside the handler
print(xpcall(function() error("first") end, function() error("in handler") end))

-- nested protected calls: each level catches its own
local function level(n)
  if n == 0 then error("bottom", 0) end
  local ok, err = pcall(level, n - 1)
  return "level " .. n .. " saw " .. tostring(err)
end
print(pcall(level, 3))

-- errors crossing C functions
print(pcall(table.sort, { 3, 2, 1 }, function(a, b) error("cmp " .. a .. b, 0) end))
print(pcall(string.gsub, "abc", "%w", function(c) if c == "b" then error("at " .. c, 0) end end))
print(pcall(tostring, setmetatable({}, { __tostring = function() error("no string", 0) end })))
print(pcall(load, "return 1 +"))
print(load("return 1 +"))
print(pcall(load("error('from a chunk', 0)")))

-- rethrowing the same value
local tbl = { name = "shared" }
local ok, e = pcall(function()
  local ok2, e2 = pcall(error, tbl)
  error(e2)
end)
print(ok, e == tbl, e.name)

-- error objects with __tostring reach the top level as strings
local obj = setmetatable({}, { __tostring = function() return "custom error object" end })
print(pcall(error, obj) == false, tostring(select(2, pcall(error, obj))))

-- many protected calls in a loop (no leak of handlers)
local n = 0
for i = 1, 20000 do
  if not pcall(error, i) then n = n + 1 end
end
print("caught", n)
