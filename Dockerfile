# syntax=docker/dockerfile:1
#
# The zhengwu binary with the SPA built in. Three stages: the frontend is
# built with node, embedded by `go build`, and the static binary runs on
# distroless (no shell, no package manager, non-root).
#
#   docker build -t zhengwu .
#   docker compose up          # with the MongoDB replica set, see docker-compose.yml
#
# Sources are copied explicitly rather than with `COPY . .`, so a developer's
# node_modules (native binaries for another platform), data/ and .git never
# enter the image. A new Go module in go.work needs a COPY line here.

# --- 1. frontend: npm ci && npm run build → /src/frontend/dist ---------------
FROM node:22-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY frontend/index.html frontend/tsconfig.json frontend/vite.config.ts ./
COPY frontend/src ./src
RUN npm run build

# --- 2. go build ./cmd/zhengwu (workspace mode, pure Go: CGO off) ------------
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.work go.work.sum* ./
COPY shared ./shared
COPY cms ./cms
COPY gateway ./gateway
COPY officeapi ./officeapi
COPY search ./search
COPY cmd ./cmd
COPY frontend/go.mod frontend/*.go ./frontend/
COPY --from=frontend /src/frontend/dist ./frontend/dist
RUN --mount=type=cache,target=/root/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/zhengwu ./cmd/zhengwu
# The working directory of the runtime image, owned by distroless's nonroot
# user (65532): ./data (Bleve indexes, the SQLite file when no MongoDB) lives here.
RUN mkdir -p /out/var/lib/zhengwu/data

# --- 3. runtime ---------------------------------------------------------------
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/zhengwu /usr/local/bin/zhengwu
COPY --from=build --chown=65532:65532 /out/var/lib/zhengwu /var/lib/zhengwu
WORKDIR /var/lib/zhengwu
VOLUME /var/lib/zhengwu/data
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/zhengwu"]
CMD ["serve", "--addr", "0.0.0.0:8080"]
