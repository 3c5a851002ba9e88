-- A node's heartbeat (Redis clock). Returns {known, reaped, dead nodes...}: known = 0 when the
-- node's entry was missing (Redis lost it, or another node removed it as lost: then reaped = 1).
-- KEYS: 1 nodes ZSET, 2 the node's reaped marker. ARGV: 1 node, 2 node timeout (ms)
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local known = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[1], now, ARGV[1])
local reaped = redis.call('DEL', KEYS[2])
local out = {known and 1 or 0, reaped}
for _, n in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))) do
  table.insert(out, n)
end
return out
