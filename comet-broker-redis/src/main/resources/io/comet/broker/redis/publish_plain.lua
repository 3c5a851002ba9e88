-- A publication to a pipe without history: fan-out and the pipe's subscriber count.
-- KEYS: 1 counts HASH node -> n. ARGV: 1 channel, 2 envelope
redis.call('PUBLISH', ARGV[1], '\n0\n' .. ARGV[2])
local n = 0
for _, v in ipairs(redis.call('HVALS', KEYS[1])) do n = n + tonumber(v) end
return n
