package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"zhengwu/officeapi"
	"zhengwu/officeapi/identity"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/config"
	"zhengwu/shared/store"
	"zhengwu/shared/store/mongostore"
	"zhengwu/shared/store/sqlitestore"
)

// runtime is what every sub-command opens: the store, the audit trail, the
// token keys and the office API's services.
type runtime struct {
	cfg    config.Config
	log    *slog.Logger
	store  *store.Notifying // wakes in-process feed consumers after each write
	trail  *audit.Trail
	tokens *auth.Tokens
	office *officeapi.Service
}

func openRuntime(ctx context.Context, cfg config.Config, logOut io.Writer) (*runtime, error) {
	log := newLogger(cfg, logOut)
	opened, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	st := store.WithNotify(opened)
	keys, err := auth.LoadKeys(ctx, st)
	if err != nil {
		st.Close()
		return nil, err
	}
	tokens := auth.NewTokens(keys, time.Now)
	// Revocations are written to the store and loaded from it, so that a
	// revocation made here (the admin CLI's password reset, say) reaches
	// every server, and a server that restarts still refuses what was
	// revoked. serve follows the feed for the ones other processes make.
	if err := tokens.Revocations().Attach(ctx, st); err != nil {
		st.Close()
		return nil, err
	}
	rt := &runtime{cfg: cfg, log: log, store: st, trail: audit.New(st, time.Now), tokens: tokens}
	rt.office = officeapi.New(officeapi.Deps{Store: st, Trail: rt.trail, Tokens: rt.tokens, Logger: log, Now: time.Now,
		IndexDir: filepath.Join(cfg.Data, "index", "office-info"),
		Policy: identity.Policy{LockoutAttempts: cfg.LockoutAttempts, LockoutWindow: cfg.LockoutWindow,
			LockoutDuration: cfg.LockoutDuration, SessionIdle: cfg.SessionIdle, SessionMax: cfg.SessionMax,
			PasswordMaxAge: cfg.PasswordMaxAge, PasswordHistory: cfg.PasswordHistory}})
	return rt, nil
}

func (rt *runtime) Close() error { return rt.store.Close() }

// openStore opens MongoDB when a URI is configured, else the embedded
// SQLite file under the data directory.
func openStore(ctx context.Context, cfg config.Config) (store.Store, error) {
	if cfg.MongoURI != "" {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		return mongostore.Open(ctx, cfg.MongoURI, cfg.MongoDatabase)
	}
	if err := os.MkdirAll(cfg.Data, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	return sqlitestore.Open(filepath.Join(cfg.Data, "zhengwu.db"))
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
