-- Adds (ARGV 3 = member JSON) or removes (ARGV 3 = '') a track_* member of this node.
-- Returns 1 when the member was added or removed, 0 when nothing changed.
-- KEYS: 1 node's members HASH of the pipe, 2 node's member index SET. ARGV: 1 node, 2 session id, 3 JSON
if ARGV[3] ~= '' then
  redis.call('SADD', KEYS[2], KEYS[1])
  return redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
end
local n = redis.call('HDEL', KEYS[1], ARGV[2])
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], KEYS[1]) end
return n
