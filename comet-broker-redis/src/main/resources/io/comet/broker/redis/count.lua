-- Changes this node's subscriber count of a pipe by ARGV 2 (ARGV 3 = '1': sets it to ARGV 2).
-- KEYS: 1 counts HASH node -> n, 2 node's count index SET. ARGV: 1 node, 2 delta or value, 3 set
local n
if ARGV[3] == '1' then
  n = tonumber(ARGV[2])
  redis.call('HSET', KEYS[1], ARGV[1], n)
else
  n = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
end
if n > 0 then
  redis.call('SADD', KEYS[2], KEYS[1])
else
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('SREM', KEYS[2], KEYS[1])
end
return n
