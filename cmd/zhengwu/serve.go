package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/cms"
	"zhengwu/officeapi/demo"
	"zhengwu/officeapi/identity"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/config"
	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi"
	"zhengwu/shared/tracing/otlp"
	"zhengwu/shared/validation"
)

// serve runs the configured services until ctx ends, then shuts down
// gracefully: it stops accepting, lets requests in flight finish (up to 10
// seconds) and closes the store.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) error {
	cfg, err := config.Parse(args, env, stderr)
	if err != nil {
		return err
	}
	// The role table is data: a role naming an undeclared permission, or
	// an officer's permission held by another role, stops the start.
	if err := auth.CheckRegistry(); err != nil {
		return err
	}
	validation.SetCeiling(cfg.MaxClassification)
	if cfg.Profiling && cfg.MetricsAddr == "" {
		return errors.New("--pprof serves the profiles on --metrics-addr: give that address too")
	}
	if cfg.MemoryLimit > 0 {
		// Before anything large is built: the catch-up of a new index is
		// the process's peak (issue 16 item 7).
		// Given back on return: a later server in the same process (tests
		// run several) starts from the limit before this one.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(cfg.MemoryLimit))
	}
	// Tracing first, so that the store opened next is wrapped with spans.
	stopTracing, err := otlp.Setup(ctx, otlp.Options{Endpoint: cfg.OTLPEndpoint, SampleRatio: cfg.TraceSample,
		Service: "zhengwu", Version: version, Targets: cfg.Targets, Logger: newLogger(cfg, stderr)})
	if err != nil {
		return err
	}
	defer func() {
		// Flush what the batcher holds, but never hold the shutdown long
		// for a collector that does not answer.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = stopTracing(ctx)
	}()
	rt, err := openRuntime(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer rt.Close()

	if cfg.Demo {
		if err := seedDemo(ctx, rt, stdout, env); err != nil {
			return fmt.Errorf("seed demo data: %w", err)
		}
	}

	// The configuration in force is a security event (MLPS: audit of
	// configuration changes): record it at every start.
	if _, err := rt.trail.Record(ctx, audit.Event{Actor: "system", ActorIP: "local", Action: "system.start",
		Outcome: audit.Success, Details: map[string]any{
			"version": version, "targets": cfg.Targets, "store": storeKind(cfg),
			"lockoutAttempts": cfg.LockoutAttempts, "lockoutWindow": cfg.LockoutWindow.String(),
			"lockoutDuration": cfg.LockoutDuration.String(), "sessionIdle": cfg.SessionIdle.String(),
			"sessionMax": cfg.SessionMax.String(), "corsOrigins": cfg.CORSOrigins, "rateLimit": cfg.RateLimit,
		}}); err != nil {
		return fmt.Errorf("audit the start: %w", err)
	}

	srv, err := newServer(ctx, cfg, rt)
	if err != nil {
		return err
	}
	defer srv.Close()
	app := srv.app
	// newServer returned once every index had caught up: from here the
	// limit follows the live heap (bulk work lifts it).
	if stop := startMemoryGovernor(cfg, srv, rt); stop != nil {
		defer stop()
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	rt.log.Info("zhengwu serving", "addr", ln.Addr().String(), "targets", cfg.Targets, "version", version,
		"store", storeKind(cfg))
	fmt.Fprintf(stdout, "Zhengwu is running at http://%s/\n", ln.Addr().String())

	errc := make(chan error, 1)
	go func() { errc <- app.Listener(ln) }()
	if cfg.MetricsAddr != "" {
		// The metrics have their own address, never the public one.
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			_ = app.Shutdown()
			return fmt.Errorf("metrics address: %w", err)
		}
		metrics := httpx.NewMetricsServer(srv.registry, cfg.Profiling)
		go func() { _ = metrics.Serve(mln) }()
		defer metrics.Close()
		rt.log.Info("metrics serving", "addr", mln.Addr().String(), "pprof", cfg.Profiling)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	rt.log.Info("shutting down")
	if err := app.ShutdownWithTimeout(10 * time.Second); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// server is the HTTP application serve runs and the services behind it.
type server struct {
	app *fiber.App
	// routes are the described routes this process mounts, by API (for
	// the tests of the descriptions).
	routes map[string][]openapi.Route
	// parts are the services built (tests seed through them).
	parts *parts
	// registry holds the HTTP and services' metrics, served on
	// --metrics-addr (httpx.NewMetricsServer).
	registry *prometheus.Registry
	// stopBackground ends the services' background work (feed consumers,
	// the scheduler, the gateway); closers then release the services.
	stopBackground context.CancelFunc
	closers        []func() error
}

// Close stops the background work, then closes the services in the
// reverse order of their start.
func (s *server) Close() {
	s.stopBackground()
	for i := len(s.closers) - 1; i >= 0; i-- {
		_ = s.closers[i]()
	}
}

// newServer builds the modules the configuration runs (the module table,
// modules.go), starts them, and mounts their routes on one application:
// what serve listens with, and what the tests check the API descriptions
// against.
func newServer(ctx context.Context, cfg config.Config, rt *runtime) (_ *server, err error) {
	// Background work (feed consumers, the scheduler) stops with bgCtx,
	// after the HTTP server has drained.
	bgCtx, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	srv := &server{stopBackground: stopBackground}
	defer func() {
		if err != nil {
			srv.Close()
		}
	}()
	mods, err := selected(cfg.Runs)
	if err != nil {
		return nil, err
	}
	p, err := newParts(rt)
	if err != nil {
		return nil, err
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(p.leaseMetrics.Collectors()...)
	app := httpx.NewApp(httpx.Options{Logger: rt.log, BodyLimit: cfg.BodyLimit, CORSOrigins: cfg.CORSOrigins,
		RateLimit: cfg.RateLimit, Registry: reg, TrustedProxies: cfg.TrustedProxies,
		UploadLimit: cfg.UploadLimit + 1<<20, UploadPaths: cms.UploadPaths})
	httpx.MountOps(app, rt.store.Ping)
	// Every target verifies tokens: follow the revocations other processes
	// write (the admin CLI, other servers), within auth.PollInterval. This
	// process's own revocations need no feed: every service here shares
	// rt.tokens, whose list they update at once.
	revDone := make(chan struct{})
	go func() { defer close(revDone); rt.tokens.Revocations().Run(bgCtx, rt.log) }()
	srv.closers = append(srv.closers, func() error { <-revDone; return nil })

	for _, m := range mods {
		r, err := m.build(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("module %s: %w", m.name, err)
		}
		p.built = append(p.built, r)
		if r.stop != nil {
			srv.closers = append(srv.closers, r.stop)
		}
	}
	if cfg.Demo {
		for i, r := range p.built {
			if r.demo == nil {
				continue
			}
			n, err := r.demo(ctx)
			if err != nil {
				return nil, fmt.Errorf("module %s: seed demo data: %w", mods[i].name, err)
			}
			if n > 0 {
				rt.log.Info("seeded demo data", "module", mods[i].name, "count", n)
			}
		}
	}
	for i, r := range p.built {
		if r.start != nil {
			if err := r.start(bgCtx); err != nil {
				return nil, fmt.Errorf("module %s: %w", mods[i].name, err)
			}
		}
	}
	// Every index has caught up. On a new or rebuilt index that was the
	// whole feed in large batches (100k portal items: the heap peaks above
	// a gigabyte and then holds a tenth of it); give the pages back to the
	// system now rather than over the scavenger's minutes (issue 16 item 7).
	debug.FreeOSMemory()
	// A module built only for another's sake (the portal's content service
	// for the gateway) serves no routes here.
	routes := map[string][]openapi.Route{}
	groups := map[string]fiber.Router{}
	for _, a := range apis {
		groups[a.name] = app.Group(a.base)
	}
	for i, r := range p.built {
		m := mods[i]
		if !cfg.Runs(m.target) {
			continue
		}
		reg.MustRegister(r.collectors...)
		group, ok := groups[m.api]
		if !ok {
			return nil, fmt.Errorf("module %s serves the API %q, which is not in the table", m.name, m.api)
		}
		openapi.Mount(group, r.routes)
		routes[m.api] = append(routes[m.api], r.routes...)
	}
	for _, a := range apis {
		if cfg.Runs(a.target) {
			a.describe(routes[a.name]).Mount(groups[a.name])
		}
	}
	// The SPA is served by whichever process serves the portal or the
	// office desktop; API paths that matched nothing stay 404 problems.
	if cfg.Runs("cms") || cfg.Runs("officeapi") {
		mountSPA(app)
	}
	srv.app, srv.routes, srv.registry, srv.parts = app, routes, reg, p
	return srv, nil
}

func storeKind(cfg config.Config) string {
	if cfg.MongoURI != "" {
		return "mongodb"
	}
	return "sqlite"
}

// seedDemo seeds the demo organisation. The password comes from
// ZHENGWU_DEMO_PASSWORD (or the file ZHENGWU_DEMO_PASSWORD_FILE names);
// without it a random one is made and printed once (to the terminal,
// never to the log).
func seedDemo(ctx context.Context, rt *runtime, stdout io.Writer, env func(string) string) error {
	password, err := config.Lookup(env, "ZHENGWU_DEMO_PASSWORD")
	if err != nil {
		return err
	}
	generated := password == ""
	if generated {
		b := make([]byte, 9)
		_, _ = rand.Read(b)
		password = "Zw-" + base64.RawURLEncoding.EncodeToString(b) + "1a"
	}
	ids := identity.New(rt.store, rt.trail, rt.tokens, identity.DefaultPolicy, time.Now)
	created, err := demo.Seed(ctx, ids, password)
	if err != nil {
		return err
	}
	if created > 0 && generated {
		fmt.Fprintf(stdout, "Demo accounts %v were created with the password: %s\n", demo.Usernames(), password)
	}
	return nil
}
