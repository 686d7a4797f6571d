// The fake Discord gateway: HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeat ACKs and dispatches over `ws`.
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
}

/** A running fake gateway. */
export interface FakeGateway {
  url: string;
  /** IDENTIFY payloads received, in order. */
  identifies: Record<string, unknown>[];
  /** The URL each client connected to (path and query). */
  connectionUrls: string[];
  /**
   * Sends a dispatch to every identified client (as Discord does when several processes run one shard), or only
   * to the `toSession`th of them, counted in the order they identified.
   */
  dispatch(type: string, data: unknown, toSession?: number): void;
  close(): void;
}

interface Session {
  socket: WebSocket;
  sequence: number;
  identified: boolean;
}

/** Serves the gateway on the HTTP server's port (any upgrade request). */
export function createFakeGateway(server: Server, url: string, options: GatewayOptions): FakeGateway {
  const wss = new WebSocketServer({ server });
  const sessions = new Set<Session>();
  const identifies: Record<string, unknown>[] = [];
  const connectionUrls: string[] = [];

  const send = (session: Session, payload: Record<string, unknown>): void => {
    if (session.socket.readyState === session.socket.OPEN) session.socket.send(JSON.stringify(payload));
  };
  const dispatchTo = (session: Session, type: string, data: unknown): void => {
    session.sequence += 1;
    send(session, { op: OP.dispatch, t: type, s: session.sequence, d: data });
  };

  wss.on("connection", (socket, request) => {
    connectionUrls.push(request.url ?? "");
    const session: Session = { socket, sequence: 0, identified: false };
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
        if (payload.d?.token !== options.token) {
          options.onViolation("gateway: IDENTIFY with the wrong token");
          socket.close(4004, "Authentication failed.");
          return;
        }
        session.identified = true;
        dispatchTo(session, "READY", options.ready(url));
        for (const guild of options.guilds()) dispatchTo(session, "GUILD_CREATE", guild);
      } else if (payload.op === OP.resume) {
        // Sessions are not kept: ask the client to identify afresh, as Discord does for an unknown session.
        send(session, { op: OP.invalidSession, d: false });
      } else if (payload.op !== 3 && payload.op !== 8) {
        options.onViolation(`gateway: unexpected opcode ${payload.op}`);
      }
    });
    send(session, { op: OP.hello, d: { heartbeat_interval: 41_250 } });
  });

  return {
    url,
    identifies,
    connectionUrls,
    dispatch(type, data, toSession) {
      const identified = [...sessions].filter((session) => session.identified);
      const targets = toSession === undefined ? identified : identified.slice(toSession, toSession + 1);
      for (const session of targets) dispatchTo(session, type, data);
    },
    close() {
      for (const session of sessions) session.socket.terminate();
      wss.close();
    },
  };
}
