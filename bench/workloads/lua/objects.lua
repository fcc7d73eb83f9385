-- Objects, metatables and closures: a particle system with vector
-- objects (operators through metamethods), per-particle behaviours as
-- closures, and a sorted report. Prints a checksum.
local Vec = {}
Vec.__index = Vec
local function vec(x, y) return setmetatable({x = x, y = y}, Vec) end
Vec.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
Vec.__sub = function(a, b) return vec(a.x - b.x, a.y - b.y) end
Vec.__mul = function(a, s) return vec(a.x * s, a.y * s) end
function Vec:dot(b) return self.x * b.x + self.y * b.y end
function Vec:len2() return self:dot(self) end

local Particle = {}
Particle.__index = Particle
function Particle.new(id, pos, vel, rule)
  return setmetatable({id = id, pos = pos, vel = vel, rule = rule, hits = 0}, Particle)
end
function Particle:step(dt)
  self.vel = self.rule(self, self.vel)
  self.pos = self.pos + self.vel * dt
  if self.pos.x < 0 or self.pos.x > 100 then self.vel = vec(-self.vel.x, self.vel.y); self.hits = self.hits + 1 end
  if self.pos.y < 0 or self.pos.y > 100 then self.vel = vec(self.vel.x, -self.vel.y); self.hits = self.hits + 1 end
end

local function drag(k) return function(_, v) return v * (1 - k) end end
local function gravity(g) return function(_, v) return v + vec(0, -g) end end
local function swirl(c)
  local turn = 0
  return function(p, v)
    turn = turn + 1
    local d = p.pos - c
    return v + vec(-d.y, d.x) * (0.0001 * (turn % 7))
  end
end

math.randomseed(42)
local ps = {}
for i = 1, 400 do
  local rules = {drag(0.01), gravity(0.05), swirl(vec(50, 50))}
  ps[i] = Particle.new(i, vec(math.random(1, 99), math.random(1, 99)),
                       vec(math.random(-5, 5), math.random(-5, 5)), rules[i % 3 + 1])
end
for _ = 1, 700 do
  for i = 1, #ps do ps[i]:step(0.1) end
end
table.sort(ps, function(a, b)
  if a.hits ~= b.hits then return a.hits > b.hits end
  return a.id < b.id
end)
local sum = 0
for i = 1, #ps do
  sum = (sum * 31 + ps[i].id * 7 + ps[i].hits) % 4294967296
end
print(string.format("objects: top=%d hits=%d checksum=%d", ps[1].id, ps[1].hits, sum))
