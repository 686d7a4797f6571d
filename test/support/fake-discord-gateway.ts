// The fake Discord gateway: HELLO, IDENTIFY (sharded), READY, GUILD_CREATE, heartbeat ACKs and routed dispatches.
import type { Server } from "node:http";
import { type WebSocket, WebSocketServer } from "ws";

/** Gateway opcodes the fake speaks. */
const OP = {
  dispatch: 0,
  heartbeat: 1,
  identify: 2,
  resume: 6,
  invalidSession: 9,
  hello: 10,
  heartbeatAck: 11,
} as const;

/** What the gateway needs to greet a client. */
export interface GatewayOptions {
  token: string;
  /** READY's `d`, built when the client identifies. */
  ready: (resumeUrl: string) => Record<string, unknown>;
  /** One GUILD_CREATE `d` per guild, sent right after READY. */
  guilds: () => Record<string, unknown>[];
  /** Records a protocol problem (a wrong token, an unknown opcode). */
  onViolation: (problem: string) => void;
  /** GET /gateway/bot's `shards`: how many shards Discord recommends (default 1). */
  recommendedShards?: number;
  /** GET /gateway/bot's `session_start_limit.max_concurrency`: IDENTIFYs allowed per 5 s (default 1). */
  maxConcurrency?: number;
}

/** A shard as IDENTIFY names it: [shard id, shard count]. */
export type ShardTuple = [shardId: number, shardCount: number];

/** The shard Discord sends a guild's events to: `(guild_id >> 22) % shard_count`. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A running fake gateway. */
export interface FakeGateway {
  url: string;
  /** IDENTIFY payloads received, in order. */
  identifies: Record<string, unknown>[];
  /** The URL each client connected to (path and query). */
  connectionUrls: string[];
  recommendedShards: number;
  maxConcurrency: number;
  /** The shard of every session identified so far, in order. */
  identifiedShards(): ShardTuple[];
  /**
   * Sends a dispatch to every identified session of the shard it belongs to, as Discord does: a guild's events to
   * `(guild_id >> 22) % shard_count`, direct messages and guild-less events to shard 0. Several processes running
   * one shard all receive it, unless `toSession` picks the `toSession`th of them (in the order they connected).
   */
  dispatch(type: string, data: unknown, toSession?: number): void;
  /**
   * Drops every client's socket without a close frame, as a network failure would. With `holdReconnects`, clients
   * that connect afterwards get no HELLO until `releaseReconnects()`, so the outage lasts as long as a test needs.
   */
  dropConnections(options?: { holdReconnects?: boolean }): void;
  releaseReconnects(): void;
  /** Closes the socket of every IDENTIFY from now on with `code`, as Discord does for a bad token (4004). */
  refuseIdentify(code: number, reason: string): void;
  close(): void;
}

interface Session {
  socket: WebSocket;
  sequence: number;
  identified: boolean;
  shard: ShardTuple;
}

/** Serves the gateway on the HTTP server's port (any upgrade request). */
export function createFakeGateway(server: Server, url: string, options: GatewayOptions): FakeGateway {
  const wss = new WebSocketServer({ server });
  const sessions = new Set<Session>();
  const identifies: Record<string, unknown>[] = [];
  const connectionUrls: string[] = [];
  const identifiedShards: ShardTuple[] = [];
  const onShard = (guildId: string, shard: ShardTuple) => shardOfGuild(guildId, shard[1]) === shard[0];
  let holding = false;
  const held: Session[] = [];
  let refusal: { code: number; reason: string } | undefined;

  const send = (session: Session, payload: Record<string, unknown>): void => {
    if (session.socket.readyState === session.socket.OPEN) session.socket.send(JSON.stringify(payload));
  };
  const dispatchTo = (session: Session, type: string, data: unknown): void => {
    session.sequence += 1;
    send(session, { op: OP.dispatch, t: type, s: session.sequence, d: data });
  };

  wss.on("connection", (socket, request) => {
    connectionUrls.push(request.url ?? "");
    const session: Session = { socket, sequence: 0, identified: false, shard: [0, 1] };
    sessions.add(session);
    socket.on("close", () => sessions.delete(session));
    socket.on("message", (raw, isBinary) => {
      if (isBinary) {
        options.onViolation("gateway: binary frame received (compression should be off without zlib-sync)");
        return;
      }
      const payload = JSON.parse(String(raw)) as { op: number; d?: Record<string, unknown> };
      if (payload.op === OP.heartbeat) send(session, { op: OP.heartbeatAck });
      else if (payload.op === OP.identify) {
        identifies.push(payload.d ?? {});
        if (refusal) {
          socket.close(refusal.code, refusal.reason);
          return;
        }
        if (payload.d?.token !== options.token) {
          options.onViolation("gateway: IDENTIFY with the wrong token");
          socket.close(4004, "Authentication failed.");
          return;
        }
        const shard = readShard(payload.d?.shard, options.onViolation);
        const otherCount = [...sessions].find((other) => other.identified && other.shard[1] !== shard[1]);
        if (otherCount) {
          options.onViolation(
            `gateway: IDENTIFY with shard count ${shard[1]} while another session uses ${otherCount.shard[1]}`,
          );
        }
        session.shard = shard;
        session.identified = true;
        identifiedShards.push(shard);
        // READY lists only the guilds of this shard, each then arriving as GUILD_CREATE.
        const guilds = options.guilds().filter((guild) => onShard(String(guild.id), shard));
        dispatchTo(session, "READY", {
          ...options.ready(url),
          shard,
          guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
        });
        for (const guild of guilds) dispatchTo(session, "GUILD_CREATE", guild);
      } else if (payload.op === OP.resume) {
        // Sessions are not kept: ask the client to identify afresh, as Discord does for an unknown session.
        send(session, { op: OP.invalidSession, d: false });
      } else if (payload.op !== 3 && payload.op !== 8) {
        options.onViolation(`gateway: unexpected opcode ${payload.op}`);
      }
    });
    if (holding) held.push(session);
    else send(session, { op: OP.hello, d: { heartbeat_interval: 41_250 } });
  });

  return {
    url,
    identifies,
    connectionUrls,
    recommendedShards: options.recommendedShards ?? 1,
    maxConcurrency: options.maxConcurrency ?? 1,
    identifiedShards: () => [...identifiedShards],
    dispatch(type, data, toSession) {
      const guildId = guildOf(type, data);
      const targets = [...sessions].filter(
        (session) =>
          session.identified && (guildId ? onShard(guildId, session.shard) : session.shard[0] === 0),
      );
      const chosen = toSession === undefined ? targets : targets.slice(toSession, toSession + 1);
      for (const session of chosen) dispatchTo(session, type, data);
    },
    dropConnections(dropOptions) {
      holding = dropOptions?.holdReconnects === true;
      for (const session of sessions) session.socket.terminate();
    },
    refuseIdentify(code, reason) {
      refusal = { code, reason };
    },
    releaseReconnects() {
      holding = false;
      for (const session of held.splice(0))
        send(session, { op: OP.hello, d: { heartbeat_interval: 41_250 } });
    },
    close() {
      for (const session of sessions) session.socket.terminate();
      wss.close();
    },
  };
}

/** IDENTIFY's `shard`, [0, 1] when absent; a malformed one is a violation. */
function readShard(value: unknown, onViolation: (problem: string) => void): ShardTuple {
  if (value === undefined) return [0, 1];
  const [shardId, shardCount] = Array.isArray(value) ? value : [];
  if (
    Number.isInteger(shardId) &&
    Number.isInteger(shardCount) &&
    (shardCount as number) >= 1 &&
    (shardId as number) >= 0 &&
    (shardId as number) < (shardCount as number)
  ) {
    return [shardId as number, shardCount as number];
  }
  onViolation(`gateway: IDENTIFY with an invalid shard ${JSON.stringify(value)}`);
  return [0, 1];
}

/** The guild a dispatch belongs to, if any. */
function guildOf(type: string, data: unknown): string | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const record = data as Record<string, unknown>;
  const ownsId = type === "GUILD_CREATE" || type === "GUILD_UPDATE" || type === "GUILD_DELETE";
  const id = ownsId ? record.id : record.guild_id;
  return typeof id === "string" ? id : undefined;
}
