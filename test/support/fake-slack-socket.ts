// The fake Slack's Socket Mode side: a WebSocket that says hello, pings, sends envelopes and collects the acks.
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { type WebSocket, WebSocketServer } from "ws";

/** Path of the Socket Mode WebSocket on the fake's server. */
const SOCKET_PATH = "/socket";
/** Slack pings well inside the client's 30 s server-ping timeout. */
const PING_INTERVAL_MS = 5_000;

/** What the client acknowledged an envelope with. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
  /** Milliseconds from sending the envelope to receiving the ack. */
  elapsedMs: number;
}

/** The Socket Mode side of the fake. */
export interface FakeSocketMode {
  /** The URL apps.connections.open hands out. */
  url: string;
  /** Resolves once a client is connected (hello sent). */
  connected(): Promise<void>;
  /** Resolves once the connected client has closed its socket. */
  closed(): Promise<void>;
  /** Sends an envelope ("events_api", "slash_commands", "interactive") and resolves with the client's ack. */
  send(type: string, payload: Record<string, unknown>, timeoutMs?: number): Promise<SocketAck>;
  close(): Promise<void>;
}

/** Adds Socket Mode to the fake's HTTP server. */
export function attachFakeSocketMode(server: Server, baseUrl: string): FakeSocketMode {
  const webSockets = new WebSocketServer({ server, path: SOCKET_PATH });
  let client: WebSocket | undefined;
  let onConnected: (() => void) | undefined;
  const connectedOnce = new Promise<void>((resolve) => {
    onConnected = resolve;
  });
  let onClosed: (() => void) | undefined;
  const closedOnce = new Promise<void>((resolve) => {
    onClosed = resolve;
  });
  const pendingAcks = new Map<string, (ack: Omit<SocketAck, "elapsedMs">) => void>();

  webSockets.on("connection", (socket) => {
    client = socket;
    const pinger = setInterval(() => socket.ping(), PING_INTERVAL_MS);
    socket.on("message", (data) => {
      const ack = JSON.parse(String(data)) as Omit<SocketAck, "elapsedMs">;
      pendingAcks.get(ack.envelope_id)?.(ack);
    });
    socket.on("close", () => {
      clearInterval(pinger);
      if (client === socket) client = undefined;
      onClosed?.();
    });
    socket.send(
      JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A0PARLEY" } }),
    );
    socket.ping();
    onConnected?.();
  });

  return {
    url: `${baseUrl}${SOCKET_PATH}`,
    connected: () => connectedOnce,
    closed: () => closedOnce,
    send(type, payload, timeoutMs = 5_000) {
      const socket = client;
      if (!socket) return Promise.reject(new Error("fake Slack: no Socket Mode client connected"));
      const envelopeId = randomUUID();
      const sentAtMs = Date.now();
      return new Promise<SocketAck>((resolve, reject) => {
        const timer = setTimeout(() => {
          pendingAcks.delete(envelopeId);
          reject(new Error(`fake Slack: no ack for ${type} within ${timeoutMs} ms`));
        }, timeoutMs);
        pendingAcks.set(envelopeId, (ack) => {
          clearTimeout(timer);
          pendingAcks.delete(envelopeId);
          resolve({ ...ack, elapsedMs: Date.now() - sentAtMs });
        });
        socket.send(
          JSON.stringify({
            envelope_id: envelopeId,
            type,
            payload,
            accepts_response_payload: type !== "events_api",
            ...(type === "events_api" ? { retry_attempt: 0, retry_reason: "" } : {}),
          }),
        );
      });
    },
    async close() {
      for (const socket of webSockets.clients) socket.terminate();
      await new Promise<void>((resolve) => webSockets.close(() => resolve()));
    },
  };
}
