# Zhengwu — the two commands are `make run` and `make test`.
# Go's packages live in several modules joined by go.work, so the package
# patterns name each module's folder (the repository root is no module).
GO_PKGS := ./shared/... ./cms/... ./officeapi/... ./gateway/... ./search/... ./cmd/zhengwu/... ./frontend/...
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
BIN := bin/zhengwu

.PHONY: run test test-go test-frontend e2e bench bench-portal footprint bench-officialdoc bench-chat bench-mixed soak relevance lint lint-modules api-types build frontend frontend-deps clean

## run: build the SPA and run every service on the embedded store with demo data
run: frontend
	go run -ldflags "-X main.version=$(VERSION)" ./cmd/zhengwu serve --demo

## test: every test — Go (race detector), front-end unit tests, browser tests
test: lint test-go test-frontend e2e

# cmd/zhengwu first: its tests (real servers, ~12 of the ~30 CPU-minutes)
# are the long pole, and go test starts packages in the order named, so
# listed last it ran alone at the end with the other packages done.
test-go:
	go test -race -count=1 -timeout 30m ./cmd/zhengwu/... $(filter-out ./cmd/zhengwu/...,$(GO_PKGS))

test-frontend: frontend-deps
	cd frontend && npm test

## e2e: build the SPA and the binary, start it with demo data, drive Chromium
e2e: frontend-deps
	bash frontend/scripts/e2e.sh

## bench: the benchmarks named in the issues (figures go in the closing notes)
bench:
	go test -run '^$$' -bench . -benchtime 2s $(GO_PKGS)

## bench-officialdoc: 公文 at the issue's scale (100k documents seeded once into $TMPDIR and kept; ~15 min the first time)
BENCH_DOCS ?= 100000
bench-officialdoc:
	cd officeapi/officialdoc && ZHENGWU_BENCH_DOCS=$(BENCH_DOCS) go test -run '^$$' -timeout 60m -bench 'Desktop' -benchtime 3000x .
	cd officeapi/officialdoc && ZHENGWU_BENCH_DOCS=$(BENCH_DOCS) go test -run '^$$' -timeout 60m -bench 'Act|Numbering' -benchtime 800x .
	cd officeapi/officialdoc && ZHENGWU_BENCH_DOCS=$(BENCH_DOCS) go test -run '^$$' -timeout 60m -bench 'ReminderScan' -benchtime 1x .

## bench-portal: portal delivery load test (100k items, wrk vs a bare Fiber handler, ~5 min)
bench-portal:
	go test -count=1 -tags load -run TestLoad -timeout 30m -v ./cms/delivery/loadtest/

## footprint: PSS, RSS, Go heap and data size of the all-in-one process after the 100k portal load,
## FOOTPRINT_BASE (a git ref, default main; its tree exported, this tree's measuring test copied in) beside this tree
FOOTPRINT_BASE ?= main
footprint:
	@test -f frontend/dist/index.html || { echo "footprint: build the SPA first (make frontend)"; exit 1; }
	@set -e; base=$$(mktemp -d); out=$$(mktemp); trap 'rm -rf $$base $$out' EXIT; \
	git archive $(FOOTPRINT_BASE) | tar -x -C $$base; cp -r frontend/dist $$base/frontend/; \
	cp cms/delivery/loadtest/footprint_test.go cms/delivery/loadtest/pages_test.go $$base/cms/delivery/loadtest/; \
	(cd $$base && FOOTPRINT_LABEL=before FOOTPRINT_OUT=$$out go test -count=1 -tags load -run TestFootprint -timeout 60m -v ./cms/delivery/loadtest/); \
	FOOTPRINT_LABEL=after FOOTPRINT_OUT=$$out go test -count=1 -tags load -run TestFootprint -timeout 60m -v ./cms/delivery/loadtest/; \
	echo; echo "footprint, $(FOOTPRINT_BASE) (before) and this tree (after), MB:"; \
	awk -F'\t' '$$1=="before"{b[$$2]=$$3; order[++n]=$$2} $$1=="after"{a[$$2]=$$3; if(!($$2 in b)) order[++n]=$$2} \
		END{for(i=1;i<=n;i++){k=order[i]; r=(b[k]>0)?sprintf("%.2f",a[k]/b[k]):"-"; printf "  %-36s %9s %9s %7s\n", k, b[k], a[k], r}}' $$out

## bench-chat: messaging load test (LOAD_CONNS sockets, default 2000) beside a bare fasthttp/websocket broadcast server
bench-chat:
	cd officeapi/chat/chathttp && go test -count=1 -tags load -run TestLoad -timeout 20m -v .

## bench-mixed: the mixed workload (portal, search, desktops, 公文 flow, uploads, mail) against `serve --demo`, beside a bare Fiber handler (~4 min)
MIXED_DURATION ?= 60s
bench-mixed:
	cd cmd/zhengwu/mixedload && MIXED_DURATION=$(MIXED_DURATION) go test -count=1 -tags load -run TestMixedLoad -timeout 30m -v .

## soak: the mixed workload at a steady rate for SOAK (default 30m), sampling PSS, goroutines, open files and data size;
## SOAK_RECONCILE (default the server's 10m) reconciles the search indexes more often, e.g. make soak SOAK=4m SOAK_RECONCILE=1m;
## SOAK_PPROF=DIR saves a heap profile a minute into DIR (compare two: go tool pprof -diff_base DIR/heap-10m.pb.gz DIR/heap-29m.pb.gz)
## SOAK_WORKFLOW=finish (default) takes each 公文 to 办结, as an office does; =sign leaves it after 签发 (a running set growing without end)
SOAK ?= 30m
SOAK_RECONCILE ?=
SOAK_PPROF ?=
SOAK_WORKFLOW ?= finish
soak:
	cd cmd/zhengwu/mixedload && SOAK=$(SOAK) SOAK_WORKFLOW=$(SOAK_WORKFLOW) SOAK_RECONCILE=$(SOAK_RECONCILE) SOAK_PPROF=$(abspath $(SOAK_PPROF)) go test -count=1 -tags load -run TestSoak -timeout 3h -v .

## relevance: MRR@10 and recall@10 per query kind, ours beside Bleve's cjk baseline
CORPUS ?= ../shared/data/search-dev/corpus.jsonl.gz
QUERIES ?= ../shared/data/search-dev/queries.jsonl,../shared/data/search-dev/queries-words.jsonl
relevance:
	go run ./search/relevance/cmd/relevance -corpus $(CORPUS) -queries $(QUERIES)

## lint: gofmt, go vet, each module on its own with imports one way, the SPA's API types current, the front end's type check
lint: frontend-deps lint-modules
	@bad=$$(gofmt -l $$(git ls-files -co --exclude-standard '*.go')); \
	  if [ -n "$$bad" ]; then echo "gofmt would change:"; echo "$$bad"; exit 1; fi
	go vet $(GO_PKGS)
	bash frontend/scripts/api-types.sh --check
	cd frontend && npm run typecheck

# Each module builds and vets on its own (its go.mod lists what it uses),
# and imports flow one way: cmd/zhengwu → gateway → cms, officeapi →
# search → shared (docs/architecture.md). A module may import only the
# modules to its right.
MODULES := shared search cms officeapi gateway frontend cmd/zhengwu
ALLOWED_shared :=
ALLOWED_search := shared
ALLOWED_cms := search shared
ALLOWED_officeapi := search shared
ALLOWED_gateway := cms officeapi search shared
ALLOWED_frontend :=
ALLOWED_cmd/zhengwu := gateway cms officeapi search shared frontend
lint-modules:
	@for m in $(MODULES); do \
	  (cd $$m && GOWORK=off go build ./... && GOWORK=off go vet ./...) || { echo "module $$m does not build on its own (GOWORK=off)"; exit 1; }; \
	done
	@fail=0; for m in $(MODULES); do \
	  case $$m in shared) allowed="$(ALLOWED_shared)";; search) allowed="$(ALLOWED_search)";; cms) allowed="$(ALLOWED_cms)";; \
	    officeapi) allowed="$(ALLOWED_officeapi)";; gateway) allowed="$(ALLOWED_gateway)";; frontend) allowed="$(ALLOWED_frontend)";; \
	    cmd/zhengwu) allowed="$(ALLOWED_cmd/zhengwu)";; esac; \
	  for imp in $$(cd $$m && GOWORK=off go list -deps -test -f '{{.ImportPath}}' ./... | grep '^zhengwu/' | sed 's/ .*//; s/[._]test$$//' | sort -u); do \
	    dep=$${imp#zhengwu/}; case $$dep in cmd/zhengwu*) dep=cmd/zhengwu;; *) dep=$${dep%%/*};; esac; \
	    [ "$$dep" = "$$m" ] && continue; \
	    case " $$allowed " in *" $$dep "*) ;; *) echo "$$m imports $$imp: imports flow cmd → gateway → cms, officeapi → search → shared"; fail=1;; esac; \
	  done; \
	done; exit $$fail

## api-types: rewrite the APIs' OpenAPI documents the SPA's types are generated from
api-types: frontend-deps
	bash frontend/scripts/api-types.sh

build: frontend
	go build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/zhengwu

frontend: frontend-deps
	cd frontend && npm run build

# npm ci only when the lock file changed since the last install.
frontend-deps: frontend/node_modules/.package-lock.json
frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

clean:
	rm -rf bin frontend/node_modules
	find frontend/dist -mindepth 1 ! -name .gitkeep -delete
