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
  /** Sends a dispatch to every identified client. */
  dispatch(type: string, data: unknown): void;
  /**
   * Drops every client's socket without a close frame, as a network failure would. With `holdReconnects`, clients
   * that connect afterwards get no HELLO until `releaseReconnects()`, so the outage lasts as long as a test needs.
   */
  dropConnections(options?: { holdReconnects?: boolean }): void;
  releaseReconnects(): void;
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
  let holding = false;
  const held: Session[] = [];

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
    if (holding) held.push(session);
    else send(session, { op: OP.hello, d: { heartbeat_interval: 41_250 } });
  });

  return {
    url,
    identifies,
    connectionUrls,
    dispatch(type, data) {
      for (const session of sessions) if (session.identified) dispatchTo(session, type, data);
    },
    dropConnections(dropOptions) {
      holding = dropOptions?.holdReconnects === true;
      for (const session of sessions) session.socket.terminate();
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
