# parley's image. Node runs the TypeScript sources as they are (type stripping), so nothing is built: the first
# stage installs the production dependencies from the lockfile, the second adds the sources and runs as `node`.

FROM node:24-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

FROM node:24-slim AS runtime
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY adapters ./adapters
COPY scripts/check-node.js ./scripts/
# The default store is sqlite://data/parley.sqlite: keep it on a volume the unprivileged user can write.
RUN mkdir data && chown node:node data
VOLUME ["/app/data"]
USER node
# Health and metrics (GET /healthz, GET /metrics) when Slack is not in HTTP mode; Slack's HTTP mode uses PORT.
ENV METRICS_PORT=9090
EXPOSE 3000 9090
# Asks parley's own /healthz on whichever port serves it: a 503 (store or adapter down) marks the container unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "-e", "const env = process.env; const port = env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN ? env.PORT || 3000 : env.METRICS_PORT; fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) }).then((response) => process.exit(response.ok ? 0 : 1), () => process.exit(1));"]
CMD ["node", "--max-semi-space-size=2", "--import", "./scripts/check-node.js", "adapters/main.ts"]
