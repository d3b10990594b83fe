package testkit

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/kek"
	"zhengwu/shared/store"
	"zhengwu/shared/store/sqlitestore"
)

// Env is one test's shared foundation: its own SQLite store in a
// temporary directory, the audit trail and the token keys on that store,
// a clock, and a logger that keeps quiet.
type Env struct {
	T testing.TB
	// Store notifies in-process subscribers after each write, as the
	// server's does.
	Store  *store.Notifying
	SQLite *sqlitestore.Store
	Trail  *audit.Trail
	Tokens *auth.Tokens
	// Master encrypts the signing keys at rest (one per test, kept across
	// Restart as a deployment keeps its key file).
	Master kek.Key
	Clock  *Clock
	Log    *slog.Logger
	// Dir is a temporary directory for the test's indexes and files; the
	// store's file is in it (OpenStore opens it in a child process).
	Dir string
}

// storeFile is the store's file in an environment's Dir.
const storeFile = "zhengwu.db"

// OpenStore opens the store of the environment whose Dir is dir: a child
// process (StartChild) given Dir works on the test's store with it.
func OpenStore(dir string) (*sqlitestore.Store, error) {
	return sqlitestore.Open(filepath.Join(dir, storeFile))
}

// DefaultStart is where a test's clock starts unless it says otherwise: a
// working Monday morning in Beijing.
var DefaultStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

// New opens a fresh environment, closed when the test ends.
func New(t testing.TB) *Env {
	t.Helper()
	dir := t.TempDir()
	st, err := OpenStore(dir)
	if err != nil {
		t.Fatalf("open sqlite store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	master, err := kek.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return open(t, st, master, NewClock(DefaultStart), dir)
}

// Restart is a new process over the same store and clock: keys and
// revocations loaded again, a new audit trail and token cache.
func (e *Env) Restart() *Env {
	e.T.Helper()
	return open(e.T, e.SQLite, e.Master, e.Clock, e.Dir)
}

func open(t testing.TB, st *sqlitestore.Store, master kek.Key, clk *Clock, dir string) *Env {
	t.Helper()
	ctx := context.Background()
	ns := store.WithNotify(st)
	keys, err := auth.LoadKeys(ctx, ns, master)
	if err != nil {
		t.Fatal(err)
	}
	tokens := auth.NewTokens(keys, clk.Now)
	if err := tokens.Revocations().Attach(ctx, ns); err != nil {
		t.Fatal(err)
	}
	return &Env{T: t, Store: ns, SQLite: st, Trail: audit.New(ns, clk.Now), Tokens: tokens, Master: master, Clock: clk,
		Log: Quiet(), Dir: dir}
}

// Quiet is a logger that writes nothing.
func Quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// Principal describes a caller for a test that needs no identity
// service: a user id, a clearance, the departments they belong to, and
// permissions with their scopes (a department id or auth.OfficeWide).
func Principal(userID string, clearance classification.Level, departments []string, grants ...Grant) auth.Principal {
	p := auth.Principal{UserID: userID, Username: userID, Name: userID, Clearance: clearance,
		Departments: departments, Perms: map[string][]string{}}
	for _, g := range grants {
		p.Perms[g.Perm.Key()] = append(p.Perms[g.Perm.Key()], g.Scopes...)
	}
	return p
}

// Grant is a permission held in some scopes.
type Grant struct {
	Perm   auth.Permission
	Scopes []string
}

// Holds is a Grant: perm in the given scopes.
func Holds(perm auth.Permission, scopes ...string) Grant { return Grant{Perm: perm, Scopes: scopes} }

// Token issues an access token for p on the environment's keys.
func (e *Env) Token(p auth.Principal) string {
	e.T.Helper()
	tok, _, err := e.Tokens.Issue(p, "test-"+p.UserID)
	if err != nil {
		e.T.Fatal(err)
	}
	return tok
}

// Audited is the audit trail's entries of action on target, oldest first.
func (e *Env) Audited(action, target string) []audit.Entry {
	e.T.Helper()
	all, err := e.Trail.List(context.Background(), 0, 100000)
	if err != nil {
		e.T.Fatal(err)
	}
	var out []audit.Entry
	for _, en := range all {
		if en.Action == action && en.Target == target {
			out = append(out, en)
		}
	}
	return out
}
