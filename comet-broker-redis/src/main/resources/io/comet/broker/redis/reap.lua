-- Removes a lost node's entries, exactly once (docs/redis.md "Node loss"): returns
-- {'u', user key, ...} for users now online nowhere and {'m', member JSON, ...} for its track_* members.
-- ARGV 3 = '1' for a node leaving cleanly (no age check). Touches keys listed in the node's index
-- sets: one Redis only (not Redis Cluster).
-- KEYS: 1 nodes ZSET, 2 user index, 3 count index, 4 member index, 5 reaped marker
-- ARGV: 1 node, 2 heartbeat older than this (ms, Redis clock offset from now) means lost, 3 leaving
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if ARGV[3] ~= '1' and (not score or tonumber(score) > now - tonumber(ARGV[2])) then return {} end
redis.call('ZREM', KEYS[1], ARGV[1])
local out = {}
for _, k in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('HDEL', k, ARGV[1]) == 1 and redis.call('EXISTS', k) == 0 then
    table.insert(out, 'u')
    table.insert(out, k)
  end
end
for _, k in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  redis.call('HDEL', k, ARGV[1])
end
for _, k in ipairs(redis.call('SMEMBERS', KEYS[4])) do
  for _, v in ipairs(redis.call('HVALS', k)) do
    table.insert(out, 'm')
    table.insert(out, v)
  end
  redis.call('DEL', k)
end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
if ARGV[3] ~= '1' then redis.call('SET', KEYS[5], '1', 'EX', 86400) end
return out
