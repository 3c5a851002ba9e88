-- A pipe's position and a range of its history in one consistent read.
-- KEYS: 1 meta, 2 stream. ARGV: 1 first id ('' = no range), 2 last id, 3 count
local m = redis.call('HMGET', KEYS[1], 'e', 's')
if not m[1] then return {'', 0, {}} end
local entries = {}
if ARGV[1] ~= '' then
  entries = redis.call('XRANGE', KEYS[2], ARGV[1], ARGV[2], 'COUNT', ARGV[3])
end
return {m[1], tonumber(m[2] or '0'), entries}
