-- wrk as one browser: start from the logged-in cookies, keep every cookie the responses
-- set (a rotated session cookie, a remember cookie) and send them back; a cookie set to
-- expire is dropped. Counts the responses other than 200: wrk itself counts a redirect
-- (to the login page, say) as a success.
--
--   wrk -s bench/wrk_cookies.lua URL -- "name=value; other=value" "User-Agent"
--
-- One jar per wrk thread (bench/run.py runs one), shared by its connections, like tabs.
-- wrk hands a response's headers to Lua as a table, so of two Set-Cookie headers in one
-- response only the last arrives here.

jar = {}
non_ok = 0
cookies_set = 0
threads = {}

local function keep(header)
  local name, value = header:match("^%s*([^=;%s]+)=([^;]*)")
  if not name then
    return
  end
  local lower = header:lower()
  if value == "" or lower:find("max%-age=0") or lower:find("expires=thu, 01 jan 1970") then
    jar[name] = nil
  else
    jar[name] = value
  end
  cookies_set = cookies_set + 1
end

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for pair in string.gmatch(args[1] or "", "[^;]+") do
    local name, value = pair:match("^%s*([^=%s]+)=(.*)$")
    if name then
      jar[name] = value
    end
  end
  if args[2] then
    wrk.headers["User-Agent"] = args[2]
  end
end

function request()
  local parts = {}
  for name, value in pairs(jar) do
    parts[#parts + 1] = name .. "=" .. value
  end
  wrk.headers["Cookie"] = table.concat(parts, "; ")
  return wrk.format()
end

function response(status, headers, body)
  if status ~= 200 then
    non_ok = non_ok + 1
  end
  local header = headers["Set-Cookie"] or headers["set-cookie"]
  if header then
    keep(header)
  end
end

function done(summary, latency, requests)
  local refused, set = 0, 0
  for _, thread in ipairs(threads) do
    refused = refused + thread:get("non_ok")
    set = set + thread:get("cookies_set")
  end
  io.write(string.format("non-200 responses: %d\ncookies set: %d\n", refused, set))
end
