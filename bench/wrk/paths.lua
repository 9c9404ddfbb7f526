-- Requests the paths listed in the file named by the environment variable BENCH_PATHS, each
-- thread taking every n-th one (n = threads), in order; then prints the stats line.
-- A path is requested once; when a thread has used its share it starts over (such repeats
-- are harmless: the benchmark counts what the database recorded, not the requests).
local threads_count = tonumber(os.getenv("BENCH_THREADS") or "2")
local next_id = 0

setup = function(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

init = function(args)
  paths = {}
  local index = 0
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    if index % threads_count == id then
      paths[#paths + 1] = line
    end
    index = index + 1
  end
  position = 0
end

request = function()
  position = position % #paths + 1
  return wrk.format(nil, paths[position])
end

dofile(os.getenv("BENCH_WRK_DIR") .. "/stats.lua")
