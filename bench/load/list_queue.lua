-- GET /api/tickets?status=open&limit=25 (first page of the staff queue, with its total).
local token = os.getenv("TOKEN")

request = function()
  return wrk.format("GET", "/api/tickets?status=open&status=waiting&limit=25", { ["Authorization"] = "Bearer " .. token })
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_us=%d non2xx=%d errors=%d p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
