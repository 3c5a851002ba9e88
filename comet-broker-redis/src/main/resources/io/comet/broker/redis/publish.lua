-- One publication to a pipe with history, atomically (docs/redis.md "Publish"):
-- idempotency check, epoch, next offset, append to the capped stream, fan-out, result cached.
-- KEYS: 1 meta HASH (e, s), 2 stream, 3 applied HASH of this publication id, 4 counts HASH node -> n
-- ARGV: 1 epoch to create if none, 2 max stream length, 3 envelope, 4 channel,
--       5 idempotency ttl (s), 6 history ttl (s)
local function count()
  local n = 0
  for _, v in ipairs(redis.call('HVALS', KEYS[4])) do n = n + tonumber(v) end
  return n
end
local done = redis.call('HMGET', KEYS[3], 'e', 's')
if done[1] then
  return {done[1], tonumber(done[2]), count(), 1}
end
local epoch = redis.call('HGET', KEYS[1], 'e')
if not epoch then
  epoch = ARGV[1]
  redis.call('DEL', KEYS[1], KEYS[2])
  redis.call('HSET', KEYS[1], 'e', epoch)
end
local offset = redis.call('HINCRBY', KEYS[1], 's', 1)
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], offset .. '-0', 'b', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[6])
redis.call('EXPIRE', KEYS[2], ARGV[6])
redis.call('PUBLISH', ARGV[4], epoch .. '\n' .. offset .. '\n' .. ARGV[3])
redis.call('HSET', KEYS[3], 'e', epoch, 's', offset)
redis.call('EXPIRE', KEYS[3], ARGV[5])
return {epoch, offset, count(), 0}
