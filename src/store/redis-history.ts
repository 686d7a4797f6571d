// Conversation histories in Redis: a list per conversation appended by a Lua script that checks the lock first.
import type Keyv from "keyv";
import type { HistoryRecord, HistoryStore, StoredMessage } from "./history.ts";
import { readLegacyConversation } from "./legacy-history.ts";
import {
  lockKey,
  messagesKey,
  metaKey,
  type RedisScriptClient,
  STARTED_BY_PREFIX,
  startedByKey,
} from "./redis-keys.ts";

const READ = `
local meta = redis.call('HGETALL', KEYS[1])
if #meta == 0 then return false end
local count = tonumber(ARGV[1])
if count < 1 then return {meta, {}} end
return {meta, redis.call('LRANGE', KEYS[2], -count, -1)}`;

// KEYS: lock, meta, messages. ARGV: token ('' for none), maxMessages, ttlMs, model, nowMs, messages...
const APPEND = `
if ARGV[1] ~= '' and redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('DEL', KEYS[3]) end
redis.call('RPUSH', KEYS[3], unpack(ARGV, 6))
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[2]), -1)
redis.call('HSET', KEYS[2], 'opened', '1', 'model', ARGV[4], 'updatedAtMs', ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
-- The starter's index lives as long as the longest-lived of their conversations.
local starter = redis.call('HGET', KEYS[2], 'startedBy')
if starter then redis.call('PEXPIRE', '${STARTED_BY_PREFIX}' .. starter, ARGV[3]) end
return 1`;

// KEYS: meta, messages, the starter's index. ARGV: model, nowMs, ttlMs, startedBy ('' for nobody), id.
const OPEN = `
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('DEL', KEYS[2]) end
redis.call('HSET', KEYS[1], 'opened', '1', 'model', ARGV[1], 'updatedAtMs', ARGV[2])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[1], 'startedBy', ARGV[4])
  redis.call('SADD', KEYS[3], ARGV[5])
  redis.call('PEXPIRE', KEYS[3], ARGV[3])
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1`;

// KEYS: the starter's index. ARGV: startedBy. Builds each conversation's keys as redis-keys.ts does (one Redis,
// not a cluster); a conversation someone else opened anew since is left alone.
const FORGET_STARTED_BY = `
local count = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local meta = 'parley:conversation:{' .. id .. '}'
  if redis.call('HGET', meta, 'startedBy') == ARGV[1] then
    count = count + 1
    redis.call('DEL', meta, 'parley:messages:{' .. id .. '}')
  end
end
redis.call('DEL', KEYS[1])
return count`;

// KEYS: meta, messages. ARGV: nowMs, ttlMs.
const CLEAR = `
local count = redis.call('LLEN', KEYS[2])
redis.call('DEL', KEYS[2])
redis.call('HDEL', KEYS[1], 'model')
redis.call('HSET', KEYS[1], 'opened', '1', 'updatedAtMs', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return count`;

// KEYS: meta, messages. ARGV: model ('' for none), updatedAtMs, expiresAtMs, messages...
const IMPORT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[2])
if #ARGV > 3 then
  redis.call('RPUSH', KEYS[2], unpack(ARGV, 4))
  redis.call('PEXPIREAT', KEYS[2], ARGV[3])
end
redis.call('HSET', KEYS[1], 'opened', '1', 'updatedAtMs', ARGV[2])
if ARGV[1] ~= '' then redis.call('HSET', KEYS[1], 'model', ARGV[1]) end
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return 1`;

/** Histories on `client`; `legacy` holds conversations written in the single-JSON format. */
export function redisHistory(client: RedisScriptClient, legacy: Keyv, defaultTtlMs: number): HistoryStore {
  async function readNow(id: string, maxMessages: number): Promise<HistoryRecord | undefined> {
    const reply = (await client.eval(READ, {
      keys: [metaKey(id), messagesKey(id)],
      arguments: [String(maxMessages)],
    })) as [string[], string[]] | null;
    if (!reply) return undefined;
    const [flatMeta, encoded] = reply;
    const meta = new Map<string, string>();
    for (let index = 0; index + 1 < flatMeta.length; index += 2)
      meta.set(flatMeta[index] ?? "", flatMeta[index + 1] ?? "");
    const model = meta.get("model");
    return {
      ...(model ? { model } : {}),
      messages: encoded.map((text) => JSON.parse(text) as StoredMessage),
      updatedAtMs: Number(meta.get("updatedAtMs")) || 0,
    };
  }

  return {
    async read(id, maxMessages) {
      const record = await readNow(id, maxMessages);
      if (record) return record;
      const old = await readLegacyConversation(legacy, id, defaultTtlMs);
      if (!old) return undefined;
      await client.eval(IMPORT, {
        keys: [metaKey(id), messagesKey(id)],
        arguments: [
          old.model ?? "",
          String(old.updatedAtMs),
          String(old.expiresAtMs),
          ...old.messages.map(encode),
        ],
      });
      await legacy.delete(id);
      return readNow(id, maxMessages);
    },
    async append(id, messages, options) {
      if (messages.length === 0) return true;
      // A lease released or lost on this side never writes, even if Redis still shows its token.
      if (options.fence && !options.fence.isHeld()) return false;
      const written = await client.eval(APPEND, {
        keys: [lockKey(id), metaKey(id), messagesKey(id)],
        arguments: [
          options.fence?.token ?? "",
          String(options.maxMessages),
          String(options.ttlMs),
          options.model,
          String(Date.now()),
          ...messages.map(encode),
        ],
      });
      return written === 1;
    },
    async open(id, model, ttlMs, startedBy) {
      await client.eval(OPEN, {
        keys: [metaKey(id), messagesKey(id), startedByKey(startedBy ?? "nobody")],
        arguments: [model, String(Date.now()), String(ttlMs), startedBy ?? "", id],
      });
    },
    async forgetStartedBy(startedBy) {
      return Number(
        await client.eval(FORGET_STARTED_BY, { keys: [startedByKey(startedBy)], arguments: [startedBy] }),
      );
    },
    async clear(id, ttlMs) {
      const removed = await client.eval(CLEAR, {
        keys: [metaKey(id), messagesKey(id)],
        arguments: [String(Date.now()), String(ttlMs)],
      });
      return Number(removed) > 0;
    },
  };
}

function encode(message: StoredMessage): string {
  return JSON.stringify({ role: message.role, content: message.content, tokens: message.tokens });
}
