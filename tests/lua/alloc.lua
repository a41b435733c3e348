-- The heap benchmark's Lua workload (make bench, tests/user/luaalloc.c): what
-- Lua asks of malloc in a program that builds records, strings and tables, keeps
-- some and drops the rest while the collector runs. Deterministic: the same
-- calls in the same order every run.
local kept = {}
for round = 1, 4 do
  local records = {}
  for i = 1, 10000 do
    records[i] = { id = i, name = "svc" .. i, tags = { i % 7, i % 11 } }
  end
  kept[round % 2] = records             -- one round's records live on, one dies
  local parts = {}
  for i = 1, 4000 do
    parts[#parts + 1] = string.format("%d:%g", i, i / 3)
  end
  local text = table.concat(parts, ",")
  local bytes = 0
  for word in text:gmatch("[^,]+") do
    bytes = bytes + #word
  end
  assert(bytes > 0)
end
collectgarbage()
return #kept[0] + #kept[1]
