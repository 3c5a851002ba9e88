-- This node has the user's first session. Returns 1 when the user was online nowhere before.
-- KEYS: 1 user nodes HASH, 2 node's user index SET. ARGV: 1 node
local added = redis.call('HSET', KEYS[1], ARGV[1], 1)
redis.call('SADD', KEYS[2], KEYS[1])
if added == 1 and redis.call('HLEN', KEYS[1]) == 1 then return 1 end
return 0
