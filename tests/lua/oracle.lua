-- The Lua oracle: every line this prints must be byte-identical in Resurgo
-- (tests/user/luaoracle.c) and in the host's lua5.4 (the system test runs both).
-- Keep each line under 200 bytes and free of addresses (no tostring of tables).

local function show(label, ...)
  local out = {}
  for i = 1, select("#", ...) do out[#out + 1] = tostring((select(i, ...))) end
  print(label, table.concat(out, " "))
end

-- string.format: integers, floats, %g, %q, widths
local fmts = {
  {"%d", 42}, {"%5d|", -7}, {"%-5d|", 7}, {"%x", 255}, {"%X", 48879}, {"%o", 8},
  {"%5.2f", 3.14159}, {"%.0f", 2.5}, {"%.0f", 3.5}, {"%e", 12345.678}, {"%.3e", 0.000123},
  {"%g", 1e20}, {"%g", 1e-5}, {"%g", 100000}, {"%g", 1000000}, {"%g", 0.1}, {"%.14g", 0.1},
  {"%.17g", 0.1}, {"%g", 2^53}, {"%g", -0.0}, {"%a", 1.0}, {"%q", "a\nb\"c\0d"},
  {"%q", 1/3}, {"%q", math.mininteger}, {"%s", "text"}, {"%10s|", "r"}, {"%-10s|", "l"},
  {"%.3s", "abcdef"}, {"%c%c%c", 76}, {"%i", 12}, {"%%", 0}, {"%+d", 5}, {"% d", 5},
  {"%05.1f", 2.25}, {"%#x", 255}, {"%#o", 8}, {"%g", 123456789}, {"%.20f", 1/3},
}
for i, f in ipairs(fmts) do
  local ok, s = pcall(string.format, f[1], f[2], 117, 97)
  print("format", i, ok, s)
end

-- numbers: integer and float semantics, overflow, conversions
local exprs = {
  function() return 7 // 2, 7.0 // 2, -7 // 2, 7 % -3, -7 % 3, 7.5 % 2 end,
  function() return 1 / 0, -1 / 0, 0/0 ~= 0/0, math.huge end,
  function() return math.maxinteger + 1 == math.mininteger, math.maxinteger * 2 end,
  function() return 3 / 2, 4 / 2, 2^10, 10 // 0.0, -10 % math.huge end,
  function() return 1e15, 1e16, 2^63, -2^63 == math.mininteger end,
  function() return math.type(1), math.type(1.0), math.type("1"), math.type(2^31) end,
  function() return 10 == 10.0, "10" == 10, 0.1 + 0.2 == 0.3, 0.1 + 0.2 end,
  function() return tostring(1e100), tostring(-1e-100), tostring(123.0), 2^-1074 end,
  function() return tonumber("0x10"), tonumber("  12  "), tonumber("1e2"), tonumber("z", 36) end,
  function() return tonumber("10", 2), tonumber("ff", 16), tonumber(""), tonumber("0x1p4") end,
  function() return math.tointeger(3.0), math.tointeger(3.5), math.tointeger("8") end,
  function() return 5 & 3, 5 | 3, 5 ~ 3, ~5, 1 << 62, 1 << 63, 1 << 64, -1 >> 1 end,
  function() return 3 | 0, "10" + 1, "3.0" + 1, 10 .. 20 end,
  function() return string.format("%.14g", 2^0.5), 7 // 0.5, -0.0 == 0.0 end,
  function() return math.ult(1, -1), math.abs(math.mininteger), math.abs(-2.5) end,
  function() return 1 < 1.5, 2^53 + 1 == 2^53, math.maxinteger + 0.0 == 2^63 end,
  function() return #"hello", -(-3), - -3.0 end,
}
for i, f in ipairs(exprs) do show("number " .. i, f()) end

-- math library
local xs = {0, 0.5, 1, 2, 10, -3.7, 1e-3}
for _, x in ipairs(xs) do
  print("math", x, string.format("%.12g %.12g %.12g %.12g", math.sin(x), math.cos(x),
        math.exp(x), math.atan(x, 2)))
  print("math2", x, math.floor(x), math.ceil(x), string.format("%.12g", math.sqrt(math.abs(x))),
        math.fmod(x, 0.75) == math.fmod(x, 0.75) and string.format("%.12g", math.fmod(x, 0.75)))
end
for _, x in ipairs({1, 2, 10, 100, 0.5}) do
  print("log", x, string.format("%.12g %.12g %.12g", math.log(x), math.log(x, 2), math.log(x, 10)))
end
show("minmax", math.max(3, 7.5, -1), math.min(3, 7.5, -1), math.max(1), math.pi)
show("modf", math.modf(3.7), math.modf(-3.7), math.modf(5))
math.randomseed(42)
show("random", math.random(1, 100), math.random(1, 100), math.random(1, 100), math.random(7))
math.randomseed(7, 11)
show("random2", math.random(0), math.random(1000000))

-- string library and patterns
local s = "The quick brown fox jumps over the lazy dog"
show("len/upper", #s, s:upper(), s:lower():sub(1, 9))
show("sub", s:sub(5, 9), s:sub(-3), s:sub(-100, 3), s:sub(10, 5), s:sub(0))
show("find", s:find("quick"), s:find("o", 20), s:find("%s"), s:find(".", 1, true), s:find("z"))
show("match", s:match("(%a+) (%a+)$"), ("key=val"):match("(%w+)=(%w+)"))
show("match2", ("2026-12-02"):match("(%d+)-(%d+)-(%d+)"), ("  pad  "):match("^%s*(.-)%s*$"))
show("gsub", s:gsub("o", "0"), ("hello world"):gsub("(%w+)", "<%1>"), ("abc"):gsub("", "-"))
show("gsub2", ("hello"):gsub("l", {l = "L"}), ("x=1,y=2"):gsub("(%w)=(%w)", "%2=%1"))
show("gsub3", ("abc"):gsub("%w", function(c) return c:byte() end), ("aaa"):gsub("a", "b", 2))
local words = {}
for w in s:gmatch("%a+") do words[#words + 1] = w end
show("gmatch", #words, words[1], words[#words])
for k, v in ("a=1, b=22, c=333"):gmatch("(%w+)=(%w+)") do show("pair", k, v) end
show("rep", ("ab"):rep(3), ("ab"):rep(3, ","), ("x"):rep(0), ("x"):rep(-1))
show("byte/char", ("ABC"):byte(1, -1), string.char(72, 105), ("é"):byte(1, -1))
show("reverse", ("stressed"):reverse(), (""):reverse())
show("frontier", ("THE (quick) fox"):find("%f[%a]%a+"), ("hello"):match("%f[%l]%l+"))
show("balanced", ("f(a(b)c)d"):match("%b()"), ("[[x]]"):match("%b[]"))
show("classes", ("a1 B2_c3!"):gsub("%W", "."), ("tab\there"):gsub("%c", "^"))
show("anchors", ("aaa"):match("^a-"), ("aaa"):match("a-$"), ("aaab"):match("a*b"))
show("captures", ("hello"):match("()ll()"), ("abc"):find("(b)(c)"))
show("pack", #string.pack("i4", 7), string.unpack("i4", string.pack("i4", -2)))
show("pack2", string.unpack(">I2", "\1\2"), string.unpack("<I2", "\1\2"), string.packsize("d"))
show("format%q", string.format("%q", "tab\there\r\n"))
show("tostring", tostring(nil), tostring(true), tostring(12), tostring(-0.0))
show("concat num", 1 .. "", 1.5 .. "", -0.0 .. "", 2^63 .. "")

-- tables
local t = {5, 3, 8, 1, 9, 2}
table.sort(t)
show("sort", table.concat(t, ","))
table.sort(t, function(a, b) return a > b end)
show("sort desc", table.concat(t, ","))
table.insert(t, 1, 100)
table.insert(t, 7)
show("insert", table.concat(t, ","), #t)
show("remove", table.remove(t), table.remove(t, 1), table.concat(t, ","))
show("unpack", table.unpack({1, 2, 3}), select("#", table.unpack({1, nil, 3}, 1, 3)))
show("pack", table.pack(1, 2, nil).n, select(-1, "a", "b", "c"), select(2, "a", "b", "c"))
show("move", table.concat(table.move({1, 2, 3}, 1, 3, 2), ","))
show("concat", table.concat({}, ","), table.concat({1, 2.5, "x"}, "-"), table.concat({1, 2, 3}, "", 2))
local names = {"delta", "alpha", "charlie", "bravo"}
table.sort(names)
show("sort names", table.concat(names, " "))
local count = 0
for k, v in pairs({a = 1, b = 2, c = 3}) do count = count + v end
show("pairs sum", count)
show("length", #{1, 2, 3, nil}, #{n = 1}, rawlen({1, 2}), rawequal(t, t))
local mt = setmetatable({}, {__index = function(_, k) return k * 2 end,
                             __call = function(_, x) return x + 1 end,
                             __tostring = function() return "MT" end,
                             __len = function() return 99 end})
show("metatable", mt[21], mt(41), tostring(mt), #mt)
local vec = setmetatable({x = 1}, {__add = function(a, b) return a.x + b.x end,
                                   __eq = function() return true end,
                                   __lt = function(a, b) return a.x < b.x end,
                                   __concat = function() return "cat" end})
show("operators", vec + vec, vec == setmetatable({x = 2}, getmetatable(vec)), vec .. "s")

-- coroutines
local co = coroutine.create(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  return d + e
end)
show("co1", coroutine.resume(co, 1, 2))
show("co2", coroutine.resume(co, 10))
show("co3", coroutine.resume(co, 3, 4))
show("co4", coroutine.resume(co), coroutine.status(co))
local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i * i) end end)
show("wrap", gen(), gen(), gen())
show("isyieldable", coroutine.isyieldable(), coroutine.running() ~= nil)
local bad = coroutine.create(function() error("inside") end)
show("co error", coroutine.resume(bad))
show("co close", coroutine.close(coroutine.create(function() end)))
local fibs = {}
local fib = coroutine.wrap(function()
  local a, b = 0, 1
  while true do coroutine.yield(a); a, b = b, a + b end
end)
for i = 1, 20 do fibs[i] = fib() end
show("fib", table.concat(fibs, " "))

-- utf8
local u = "héllo wörld ✓"
show("utf8 len", utf8.len(u), #u, utf8.char(72, 233, 10003), #utf8.charpattern)
local cps = {}
for _, c in utf8.codes(u) do cps[#cps + 1] = c end
show("utf8 codes", table.concat(cps, ","))
show("utf8 offset", utf8.offset(u, 3), utf8.offset(u, -1), utf8.codepoint(u, 1, 3))
show("utf8 bad", utf8.len("\xff"), pcall(utf8.codepoint, "\xff"))

-- errors and their messages
local function try(f, ...) return select(2, pcall(f, ...)) end
show("err1", try(function() return 1 + nil end))
show("err2", try(function() return #5 end))
show("err3", try(function() local x; return x.y end))
show("err4", try(function() return ("x"):bad() end))
show("err5", try(function() error("plain") end))
show("err6", try(function() error("no position", 0) end))
show("err7", try(function() error({code = 7}) end) ~= nil)
show("err8", try(function() return 1 < "2" end))
show("err9", try(function() return math.floor("a") end))
show("err10", try(string.rep))
show("err11", try(function() return 1 // 0 end))
show("err12", try(function() return 1 % 0 end))
show("err13", try(function() return 2^63 | 0 end))
show("err14", try(setmetatable, 1, {}))
show("err15", try(function() return {} .. "" end))
show("err16", select("#", pcall(error)))
show("xpcall", xpcall(function() error("E") end, function(m) return "handled: " .. m end))
show("load", load("return 1 + 1")(), load("syntax error here"))
show("load2", load("x = "), pcall(load("error('in chunk')")))
show("assert", pcall(assert, false, "assertion message"), pcall(assert, 1, 2))
show("tostring err", try(tostring))
show("select err", try(select, 0))
show("string err", try(string.format, "%d", 1.5))

-- closures, varargs, integer for loops, goto
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c1, c2 = counter(), counter()
show("closures", c1(), c1(), c2(), c1())
local function va(...) return select("#", ...), ... end
show("varargs", va(), va(nil), va(1, nil, 3))
local acc = {}
for i = 10, 1, -3 do acc[#acc + 1] = i end
for i = 1, 2, 0.5 do acc[#acc + 1] = i end
show("for", table.concat(acc, " "))
for i = math.maxinteger - 2, math.maxinteger do acc[#acc + 1] = i end
show("for max", acc[#acc], #acc)
do
  local i = 1
  ::top::
  if i < 5 then i = i * 2; goto top end
  show("goto", i)
end
show("integer division table", 7 // 3, -7 // 3, 7 // -3, -7 // -3, 7 % 3, -7 % 3, 7 % -3)
show("float division table", 7.0 // 3, -7.0 // 3, 7.0 % 3, -7.0 % 3, 7.0 % -3)
show("string <-> number", "0x10" + 0, "1e1" * 1, 10 // "3", math.type("10" // 1))
for i = 1, 12 do
  print("pow", i, 2^i, 3 ^ (i / 4), i * 1.1, i // 3 * 3 + i % 3 == i)
end
for i = 1, 10 do
  print("fmt", i, string.format("%8.3f|%-8d|%08.2e|%g", i / 7, i * 1000, i * 1e5, i / 3))
end
local gs = {0.1, 1/3, 2/3, 1e-310, 5e-324, 1.7976931348623157e308, 123456.789, 9007199254740993,
            -2.5e-8, 1e21, 1e22, 3.0, -0.5, 255 / 256, 1e-7, 6.02214076e23, 299792458, 0.3 - 0.1,
            2^-20, 1 / 7}
for i, g in ipairs(gs) do
  print("g", i, g, string.format("%g %.3g %.10g %.17g", g, g, g, g), math.type(g))
end
print("end of oracle")
