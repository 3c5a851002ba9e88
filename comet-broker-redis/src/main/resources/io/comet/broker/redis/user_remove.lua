-- This node lost the user's last session. Returns 1 when the user is now online nowhere.
-- KEYS: 1 user nodes HASH, 2 node's user index SET. ARGV: 1 node
local removed = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[2], KEYS[1])
if removed == 1 and redis.call('EXISTS', KEYS[1]) == 0 then return 1 end
return 0
