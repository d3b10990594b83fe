package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"zhengwu/officeapi/identity"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/config"
	"zhengwu/shared/kek"
	"zhengwu/shared/store"
	"zhengwu/shared/store/mongostore"
	"zhengwu/shared/store/sqlitestore"
	"zhengwu/shared/store/traced"
	"zhengwu/shared/tracing"
)

// runtime is what every sub-command opens: the store, the audit trail and
// the token keys.
type runtime struct {
	cfg    config.Config
	log    *slog.Logger
	store  *store.Notifying // wakes in-process feed consumers after each write
	trail  *audit.Trail
	tokens *auth.Tokens
	master kek.Key // encrypts the signing keys at rest
}

func openRuntime(ctx context.Context, cfg config.Config, logOut io.Writer) (*runtime, error) {
	log := newLogger(cfg, logOut)
	// The data directory holds the database, the indexes and (by default)
	// the master key: its owner's alone (0700, tightened if it was not).
	if err := sqlitestore.PrivateDir(cfg.Data, log); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	opened, err := openStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	if tracing.Enabled() { // serve's --otlp-endpoint: a span per store call
		opened = traced.Wrap(opened)
	}
	st := store.WithNotify(opened)
	master, err := openMasterKey(cfg, log)
	if err != nil {
		st.Close()
		return nil, err
	}
	keys, err := auth.LoadKeys(ctx, st, master)
	if err != nil {
		st.Close()
		return nil, err
	}
	if n := keys.Migrated(); n > 0 {
		log.Warn("encrypted the token signing keys stored in plain text", "keys", n, "masterKey", master.ID())
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
	return &runtime{cfg: cfg, log: log, store: st, trail: audit.New(st, time.Now), tokens: tokens, master: master}, nil
}

func (rt *runtime) Close() error { return rt.store.Close() }

// openMasterKey finds the master key (ZHENGWU_MASTER_KEY, --key-file, or
// <data>/master.key, made on first start so that a fresh machine runs
// without setup) and warns when it lies beside the data it protects.
func openMasterKey(cfg config.Config, log *slog.Logger) (kek.Key, error) {
	k, src, err := kek.Resolve(cfg.MasterKey, cfg.KeyFile, cfg.Data)
	if err != nil {
		return kek.Key{}, fmt.Errorf("master key: %w", err)
	}
	switch src {
	case kek.CreatedDefault, kek.FromDefault:
		log.Warn("the master key that encrypts the signing keys is kept in the data directory, beside the database: "+
			"in production keep it elsewhere (--key-file on another volume, or ZHENGWU_MASTER_KEY); see docs/adr/0005",
			"file", filepath.Join(cfg.Data, kek.DefaultFileName), "created", src == kek.CreatedDefault, "masterKey", k.ID())
	default:
		log.Info("master key loaded", "from", string(src), "masterKey", k.ID())
	}
	return k, nil
}

// openStore opens MongoDB when a URI is configured, else the embedded
// SQLite file under the data directory.
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger) (store.Store, error) {
	if cfg.MongoURI != "" {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		return mongostore.Open(ctx, cfg.MongoURI, cfg.MongoDatabase)
	}
	return sqlitestore.Open(cfg.SQLitePath(), sqlitestore.WithLogger(log))
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// identity is the identity service on the runtime (the admin commands').
func (rt *runtime) identity() *identity.Service {
	return identity.New(rt.store, rt.trail, rt.tokens, identity.DefaultPolicy, time.Now)
}
