// Quotas in Redis: one script reads the counters' hashes, trims and counts the window and the slots, then records.
import { redisCounterKey } from "./counters.ts";
import type { Quotas, QuotaVerdict } from "./quotas.ts";
import type { RedisScriptClient } from "./redis-keys.ts";

// KEYS: each cap's hash, then the window's sorted set, then the slots' sorted set.
// ARGV: nowMs, id, capCount, then per cap (limit, fieldCount, fields…), then windowLimit, windowMs, slotLimit,
// leaseMs (a limit of 0: not checked).
const ADMIT = `
local now = tonumber(ARGV[1])
local id = ARGV[2]
local capCount = tonumber(ARGV[3])
local at = 4
for cap = 1, capCount do
  local limit = tonumber(ARGV[at])
  local fieldCount = tonumber(ARGV[at + 1])
  at = at + 2
  local used = 0
  for field = 1, fieldCount do
    used = used + (tonumber(redis.call('HGET', KEYS[cap], ARGV[at])) or 0)
    at = at + 1
  end
  if used >= limit then return {'cap', tostring(cap), tostring(used)} end
end
local windowLimit = tonumber(ARGV[at])
local windowMs = tonumber(ARGV[at + 1])
local slotLimit = tonumber(ARGV[at + 2])
local leaseMs = tonumber(ARGV[at + 3])
local windowKey = KEYS[capCount + 1]
local slotsKey = KEYS[capCount + 2]
if windowLimit > 0 then
  redis.call('ZREMRANGEBYSCORE', windowKey, '-inf', now - windowMs)
  local count = redis.call('ZCARD', windowKey)
  if count >= windowLimit then
    local oldest = redis.call('ZRANGE', windowKey, 0, 0, 'WITHSCORES')
    return {'window', oldest[2], tostring(count)}
  end
end
if slotLimit > 0 then
  redis.call('ZREMRANGEBYSCORE', slotsKey, '-inf', now)
  local held = redis.call('ZCARD', slotsKey)
  if held >= slotLimit then return {'slots', '0', tostring(held)} end
end
if windowLimit > 0 then
  redis.call('ZADD', windowKey, now, id)
  redis.call('PEXPIRE', windowKey, windowMs)
end
if slotLimit > 0 then
  redis.call('ZADD', slotsKey, now + leaseMs, id)
  redis.call('PEXPIRE', slotsKey, leaseMs)
end
return {'ok'}`;

const RELEASE = `redis.call('ZREM', KEYS[1], ARGV[1]) return 1`;

const windowKey = (key: string) => `parley:window:${key}`;
const slotsKey = (key: string) => `parley:slots:${key}`;

/** Quotas on `client`. The script touches keys of several users and channels: one Redis, not a cluster. */
export function redisQuotas(client: RedisScriptClient): Quotas {
  return {
    async admit(request) {
      const { caps, window, slots } = request;
      const reply = (await client.eval(ADMIT, {
        keys: [
          ...caps.map((cap) => redisCounterKey(cap.counterKey)),
          windowKey(window?.key ?? "none"),
          slotsKey(slots?.key ?? "none"),
        ],
        arguments: [
          String(request.nowMs),
          request.id,
          String(caps.length),
          ...caps.flatMap((cap) => [String(cap.limit), String(cap.fields.length), ...cap.fields]),
          String(window?.limit ?? 0),
          String(window?.windowMs ?? 0),
          String(slots?.limit ?? 0),
          String(slots?.leaseMs ?? 0),
        ],
      })) as string[];
      return verdictOf(reply, request.caps, request.nowMs);
    },
    async release(key, id) {
      await client.eval(RELEASE, { keys: [slotsKey(key)], arguments: [id] });
    },
  };
}

function verdictOf(reply: string[], caps: readonly { name: string }[], nowMs: number): QuotaVerdict {
  const [outcome, detail, used] = reply;
  if (outcome === "cap")
    return {
      admitted: false,
      refusedBy: "cap",
      cap: caps[Number(detail) - 1]?.name ?? "",
      used: Number(used),
    };
  if (outcome === "window")
    return { admitted: false, refusedBy: "window", used: Number(used), oldestAtMs: Number(detail) || nowMs };
  if (outcome === "slots") return { admitted: false, refusedBy: "slots", used: Number(used) };
  return { admitted: true };
}
