// Says in a few words why a connection failed ("connection refused", "host not found"), whatever library threw it,
// and why a port could not be listened on.
import { ParleyError } from "../errors.ts";

/** System and library error codes, and what an admin should read for each. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found (DNS lookup failed)",
  EAI_NONAME: "host not found",
  ETIMEDOUT: "timed out",
  UND_ERR_CONNECT_TIMEOUT: "timed out",
  UND_ERR_HEADERS_TIMEOUT: "timed out",
  ECONNRESET: "connection reset",
  UND_ERR_SOCKET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EPIPE: "connection closed",
  EPROTO: "TLS handshake failed",
  ERR_SSL_WRONG_VERSION_NUMBER: "TLS handshake failed (is it http:// rather than https://?)",
  CERT_HAS_EXPIRED: "TLS certificate expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed TLS certificate",
  SELF_SIGNED_CERT_IN_CHAIN: "self-signed TLS certificate",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS certificate not trusted",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate for another host",
};

/** Where libraries keep the error they wrapped: fetch's `cause`, Slack's `original`, an AggregateError's `errors`. */
function innerErrors(error: object): unknown[] {
  const record = error as { cause?: unknown; original?: unknown; errors?: unknown };
  return [record.cause, record.original, ...(Array.isArray(record.errors) ? record.errors : [])];
}

/**
 * The reason a connection attempt failed, read from the error or any error it wraps; undefined when the error is
 * not a network failure (an HTTP answer, a refused token).
 */
export function networkFailureOf(error: unknown, depth = 0): string | undefined {
  if (typeof error !== "object" || error === null || depth > 5) return undefined;
  const { code, name } = error as { code?: unknown; name?: unknown };
  if (typeof code === "string" && REASONS[code]) return REASONS[code];
  if (name === "TimeoutError" || name === "ConnectTimeoutError") return "timed out";
  for (const inner of innerErrors(error)) {
    const reason = networkFailureOf(inner, depth + 1);
    if (reason) return reason;
  }
  return undefined;
}

/**
 * Why a request failed, in a few words: the network reason when there is one, else the message of the innermost
 * error (fetch's "fetch failed" says less than its cause).
 */
export function failureReason(error: unknown): string {
  const reason = networkFailureOf(error);
  if (reason) return reason;
  let innermost = error;
  for (let depth = 0; depth < 5; depth += 1) {
    const cause =
      (innermost as { cause?: unknown; original?: unknown } | null)?.cause ??
      (innermost as { original?: unknown } | null)?.original;
    if (!(cause instanceof Error)) break;
    innermost = cause;
  }
  const message = innermost instanceof Error ? innermost.message : String(error);
  // Libraries quote the URL they could not use, credentials included.
  return message.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s@/]*(?::[^\s@]*)?@/gi, "$1***@");
}

/**
 * Why listening on the port that `setting` names failed, as a ParleyError naming the setting ("PORT: port 3000 is
 * already in use…"); errors that are not about the port are returned as they are.
 */
export function listenFailure(error: unknown, setting: string, port: number): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "EADDRINUSE") {
    return new ParleyError(
      "config",
      `${setting}: port ${port} is already in use: stop what listens there, or set ${setting} to a free port`,
      { cause: error },
    );
  }
  if (code === "EACCES") {
    return new ParleyError(
      "config",
      `${setting}: not allowed to listen on port ${port} (ports below 1024 need privileges): choose a port from 1024`,
      { cause: error },
    );
  }
  return error;
}
