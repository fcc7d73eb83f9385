-- Strings: a generated text split with gmatch, words counted in a table,
-- rewritten with gsub and patterns, formatted and joined, and the counts
-- reported in a sorted order. Prints a checksum.
local syll = {"ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "an", "el", "or", "us"}
local x = 12345
local function rnd(n)
  x = (x * 1103515245 + 12345) % 2147483648
  return x % n + 1
end
local parts = {}
for i = 1, 60000 do
  local w = {}
  for k = 1, rnd(3) do w[k] = syll[rnd(#syll)] end
  parts[i] = table.concat(w)
end
local text = table.concat(parts, " ")
local sum = 0
for round = 1, 15 do
  local counts, order = {}, {}
  for w in text:gmatch("%a+") do
    if not counts[w] then counts[w] = 0; order[#order + 1] = w end
    counts[w] = counts[w] + 1
  end
  table.sort(order, function(a, b)
    if counts[a] ~= counts[b] then return counts[a] > counts[b] end
    return a < b
  end)
  local top = {}
  for i = 1, 10 do top[i] = string.format("%s=%d", order[i], counts[order[i]]) end
  local report = table.concat(top, ",")
  local swapped, n = text:gsub("(%a)(%a)(%a?)", "%3%2%1")
  local upper = swapped:upper():sub(round, round + 5000)
  local vowels = select(2, upper:gsub("[AEIOU]", ""))
  local h = 0
  for i = 1, #report do h = (h * 33 + report:byte(i)) % 4294967296 end
  sum = (sum * 31 + h + n + vowels + #order) % 4294967296
end
print(string.format("text: words=%d checksum=%d", #parts, sum))
