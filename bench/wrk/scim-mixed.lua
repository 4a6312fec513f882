-- The SCIM mixed load of `./rollcall bench scim-polis`, the same for Rollcall and Ory Polis: lookups by userName of
-- users that exist, POSTs of new users, PATCHes of an existing user's title. wrk is the generator issue 19 measured
-- with; the benchmark runs the same mix through its Java generator too, so that a difference between them would show.
--
-- Environment (the token stays out of the process list):
--   SCIM_BASE    where Users are, e.g. /scim/v2 or /api/scim/v2.0/{directory}
--   SCIM_AUTH    the Authorization header
--   SCIM_HOST    the Host header (Rollcall finds the company by it)
--   SCIM_USERS   a file of existing users, one "id userName" a line
--   SCIM_PREFIX  new users are PREFIX{thread}-{n}@sync.test, so two runs with two prefixes never collide
--   SCIM_MIX     percent of lookups, POSTs, PATCHes: 70,15,15
-- Prints one line for the benchmark: WRK_RESULT requests=... seconds=... p50=... p99=... (ms) non2xx=...

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("number", counter)
  table.insert(threads, thread)
end

local base, headers, ids, names, prefix, lookups, posts
-- Globals, for done() to read from each thread (thread:get).
created, non2xx, found_nobody, listed = 0, 0, 0, 0

function init(args)
  base = os.getenv("SCIM_BASE")
  prefix = os.getenv("SCIM_PREFIX") .. number .. "-"
  headers = {
    ["Host"] = os.getenv("SCIM_HOST"),
    ["Authorization"] = os.getenv("SCIM_AUTH"),
    ["Content-Type"] = "application/scim+json",
    ["Accept"] = "application/scim+json",
  }
  ids, names = {}, {}
  for line in io.lines(os.getenv("SCIM_USERS")) do
    local id, name = line:match("^(%S+) (%S+)$")
    ids[#ids + 1] = id
    names[#names + 1] = name
  end
  local mix = {}
  for share in os.getenv("SCIM_MIX"):gmatch("%d+") do
    mix[#mix + 1] = tonumber(share)
  end
  lookups, posts = mix[1], mix[1] + mix[2]
  math.randomseed(os.time() * 1000 + number)
end

local function escaped(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function user(name, n)
  return '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"' .. name .. '@sync.test",'
    .. '"externalId":"' .. name .. '","name":{"givenName":"Bench","familyName":"X' .. n .. '"},'
    .. '"emails":[{"value":"' .. name .. '@sync.test","type":"work","primary":true}],"title":"Engineer","active":true}'
end

function request()
  local dice = math.random(0, 99)
  if dice < lookups then
    local name = names[math.random(#names)]
    return wrk.format("GET", base .. "/Users?filter=" .. escaped('userName eq "' .. name .. '"'), headers, nil)
  elseif dice < posts then
    created = created + 1
    return wrk.format("POST", base .. "/Users", headers, user(prefix .. created, created))
  end
  local patch = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],'
    .. '"Operations":[{"op":"replace","path":"title","value":"Title ' .. math.random(0, 999) .. '"}]}'
  return wrk.format("PATCH", base .. "/Users/" .. ids[math.random(#ids)], headers, patch)
end

-- Answers are not matched to their requests (a thread's connections interleave): a list answer is a lookup's.
function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  if body:find("ListResponse", 1, true) then
    listed = listed + 1
    if body:find('"totalResults":%s*0[,}]') then
      found_nobody = found_nobody + 1
    end
  end
end

function done(summary, latency, requests)
  local sums = { non2xx = 0, listed = 0, found_nobody = 0, created = 0 }
  for _, thread in ipairs(threads) do
    for key in pairs(sums) do
      sums[key] = sums[key] + thread:get(key)
    end
  end
  local errors = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d seconds=%.3f p50=%.3f p99=%.3f max=%.3f non2xx=%d lookups=%d nobody=%d posts=%d socket=%d timeouts=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, sums.non2xx, sums.listed, sums.found_nobody, sums.created,
    errors.connect + errors.read + errors.write, errors.timeout))
end
