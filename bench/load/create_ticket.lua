-- POST /api/tickets as a member: each request raises a new ticket.
local token = os.getenv("TOKEN")
local n = 0

request = function()
  n = n + 1
  local body = string.format(
    '{"subject":"Boat booking %d","description":"The booking app shows an error when I reserve the single scull for Saturday."}', n)
  return wrk.format("POST", "/api/tickets",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_us=%d non2xx=%d errors=%d p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
