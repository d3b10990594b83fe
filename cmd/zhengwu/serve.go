package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/cms"
	"zhengwu/gateway"
	"zhengwu/officeapi/demo"
	"zhengwu/search/searchapi"
	"zhengwu/shared/audit"
	"zhengwu/shared/config"
	"zhengwu/shared/httpx"
)

// serve runs the configured services until ctx ends, then shuts down
// gracefully: it stops accepting, lets requests in flight finish (up to 10
// seconds) and closes the store.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) error {
	cfg, err := config.Parse(args, env, stderr)
	if err != nil {
		return err
	}
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
		metrics := httpx.NewMetricsServer(srv.registry)
		go func() { _ = metrics.Serve(mln) }()
		defer metrics.Close()
		rt.log.Info("metrics serving", "addr", mln.Addr().String())
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

// newServer builds and starts the services the configuration runs and
// mounts their routes on one application (what serve listens with, and
// what the tests check the API descriptions against).
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

	reg := prometheus.NewRegistry()
	app := httpx.NewApp(httpx.Options{Logger: rt.log, BodyLimit: cfg.BodyLimit, CORSOrigins: cfg.CORSOrigins,
		RateLimit: cfg.RateLimit, Registry: reg,
		UploadLimit: cfg.UploadLimit + 1<<20, UploadPaths: cms.UploadPaths})
	httpx.MountOps(app, rt.store.Ping)
	// Every target verifies tokens: follow the revocations other processes
	// write (the admin CLI, other servers), within auth.PollInterval. This
	// process's own revocations need no feed: every service here shares
	// rt.tokens, whose list they update at once.
	revDone := make(chan struct{})
	go func() { defer close(revDone); rt.tokens.Revocations().Run(bgCtx, rt.log) }()
	srv.closers = append(srv.closers, func() error { <-revDone; return nil })
	if cfg.Runs("officeapi") {
		if err := rt.office.Start(bgCtx); err != nil {
			return nil, err
		}
		srv.closers = append(srv.closers, rt.office.Close)
		rt.office.Mount(app)
	}
	// The gateway publishes through the CMS's service layer, so a process
	// that runs the gateway also runs the content service (routes only
	// when it runs the cms target).
	if cfg.Runs("cms") || cfg.Runs("gateway") {
		portal, err := cms.New(ctx, cms.Deps{Store: rt.store, Trail: rt.trail, Tokens: rt.tokens, DataDir: cfg.Data,
			Logger: rt.log, MediaDir: cfg.MediaDir, UploadLimit: int64(cfg.UploadLimit)})
		if err != nil {
			return nil, err
		}
		srv.closers = append(srv.closers, portal.Close)
		if cfg.Demo {
			n, err := portal.SeedDemo(ctx)
			if err != nil {
				return nil, fmt.Errorf("seed demo content: %w", err)
			}
			if n > 0 {
				rt.log.Info("seeded demo portal content", "items", n)
			}
		}
		if err := portal.Start(bgCtx); err != nil {
			return nil, err
		}
		rt.store.Subscribe(portal.Content.Notify)
		rt.store.Subscribe(portal.Delivery.Notify)
		if cfg.Runs("cms") {
			reg.MustRegister(portal.Delivery.Collectors()...)
			portal.Mount(app)
		}
		if cfg.Runs("gateway") {
			gw, err := gateway.New(gateway.Deps{Office: rt.store, Portal: portal.Content, Trail: rt.trail,
				Channels: portal.Channels, Logger: rt.log})
			if err != nil {
				return nil, err
			}
			// The reconciliation pass scans every office item: run it beside
			// the server, not in front of it (the feed loop is safe meanwhile).
			go func() {
				if _, err := gw.Reconcile(bgCtx); err != nil && bgCtx.Err() == nil {
					rt.log.Error("gateway reconciliation failed", "err", err)
				}
			}()
			go func() {
				if err := gw.Run(bgCtx); err != nil && bgCtx.Err() == nil {
					rt.log.Error("gateway stopped", "err", err)
				}
			}()
			reg.MustRegister(gw.Collectors()...)
			gw.MountStatus(app, rt.tokens)
		}
	}
	if cfg.Runs("search") {
		m, err := mediaReader(rt.store, cfg)
		if err != nil {
			return nil, err
		}
		finder, err := searchapi.New(searchapi.Deps{Store: rt.store, Tokens: rt.tokens, DataDir: cfg.Data,
			Logger: rt.log, Media: m})
		if err != nil {
			return nil, err
		}
		srv.closers = append(srv.closers, finder.Close)
		if err := finder.Start(bgCtx); err != nil {
			return nil, err
		}
		rt.store.Subscribe(finder.Notify)
		reg.MustRegister(finder.Collectors()...)
		finder.Mount(app)
	}
	// The SPA is served by whichever process serves the portal or the
	// office desktop; API paths that matched nothing stay 404 problems.
	if cfg.Runs("cms") || cfg.Runs("officeapi") {
		mountSPA(app)
	}

	srv.app, srv.registry = app, reg
	return srv, nil
}

func storeKind(cfg config.Config) string {
	if cfg.MongoURI != "" {
		return "mongodb"
	}
	return "sqlite"
}

// seedDemo seeds the demo organisation. The password comes from
// ZHENGWU_DEMO_PASSWORD; without it a random one is made and printed once
// (to the terminal, never to the log).
func seedDemo(ctx context.Context, rt *runtime, stdout io.Writer, env func(string) string) error {
	password := env("ZHENGWU_DEMO_PASSWORD")
	generated := password == ""
	if generated {
		b := make([]byte, 9)
		_, _ = rand.Read(b)
		password = "Zw-" + base64.RawURLEncoding.EncodeToString(b) + "1a"
	}
	created, err := demo.Seed(ctx, rt.office.Identity, password)
	if err != nil {
		return err
	}
	if created > 0 && generated {
		fmt.Fprintf(stdout, "Demo accounts %v were created with the password: %s\n", demo.Usernames(), password)
	}
	return nil
}
