// Store URLs may carry a password: this is the form of them that logs and errors may show.

/** Drops the password (and user) from a store URL before it is shown anywhere. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, "//***@");
}
