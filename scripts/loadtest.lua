-- wrk script for scripts/loadtest.py: searches a journalist would run, in turn, until a fixed number of
-- requests per thread (then the thread stops); done() prints the figures as one JSON line.
local paths = {}
local per_thread = tonumber(os.getenv("LOADTEST_REQUESTS_PER_THREAD") or "2000")
local sent, answered, bad = 0, 0, 0

local function add(path) paths[#paths + 1] = path end

function init(args)
  local speakers = { "macron", "Emmanuel%20Macron", "poutine", "zelensky", "MACRON", "le%20maire", "borne", "biden" }
  local words = { "guerre", "pr%C3%A9sident", "ukraine", "%22la%20France%22", "r%C3%A9forme", "climat", "s%C3%A9curit%C3%A9",
                  "%C3%A9nergie", "gouv%2A" }
  for i, s in ipairs(speakers) do
    add("/api/quotes?speaker=" .. s)
    add("/api/quotes?speaker=" .. s .. "&page=2&per_page=10")
    add("/api/speakers?q=" .. string.sub(s, 1, 4))
  end
  for i, w in ipairs(words) do
    add("/api/quotes?q=" .. w)
    add("/api/quotes?q=" .. w .. "&type=direct&per_page=50")
  end
  add("/api/quotes")
  add("/api/quotes?since=2020-01-01&until=2030-12-31")
  add("/api/speakers")
  add("/api/quotes.csv?speaker=macron")
  add("/api/health")
end

function request()
  sent = sent + 1
  return wrk.format("GET", paths[(sent % #paths) + 1])
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 200 then bad = bad + 1 end
  if answered == per_thread then
    -- wrk's main thread sleeps for the whole -d duration: tell loadtest.py, which then interrupts it.
    io.write("thread-done\n")
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "non_2xx_3xx": %d, "latency_ms": {"p50": %.2f, "p90": %.2f, "p99": %.2f, "max": %.2f}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
