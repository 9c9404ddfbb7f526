-- paths.lua, also counting the answers the page cache served (X-Page-Cache: hit) and the
-- others; prints a BENCH_CACHE line before the stats line.
dofile(os.getenv("BENCH_WRK_DIR") .. "/paths.lua")

local threads = {}
local paths_setup = setup
local stats_done = done

setup = function(thread)
  paths_setup(thread)
  threads[#threads + 1] = thread
end

local paths_init = init
init = function(args)
  paths_init(args)
  hits = 0
  others = 0
end

response = function(status, headers, body)
  if status == 200 and headers["X-Page-Cache"] == "hit" then
    hits = hits + 1
  else
    others = others + 1
  end
end

done = function(summary, latency, requests)
  local all_hits, all_others = 0, 0
  for _, thread in ipairs(threads) do
    all_hits = all_hits + thread:get("hits")
    all_others = all_others + thread:get("others")
  end
  io.write(string.format('BENCH_CACHE {"hits": %d, "others": %d}\n', all_hits, all_others))
  stats_done(summary, latency, requests)
end
