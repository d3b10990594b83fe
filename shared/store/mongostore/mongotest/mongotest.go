// Package mongotest gives tests outside mongostore a MongoDB to run
// against: the deployment named by MONGODB_URI when it is set (CI with a
// real replica set), else FerretDB v1 embedded in the test binary with its
// SQLite backend, as mongostore's own tests start it. Only tests import
// it: it links FerretDB in.
package mongotest

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Start returns the URI of a MongoDB to test against and a function that
// stops it (a no-op for MONGODB_URI). ferret reports whether it is the
// embedded FerretDB, which loses concurrent updates (FerretDB issue
// #3040) and has no transactions.
func Start() (uri string, ferret bool, stop func(), err error) {
	if uri := os.Getenv("MONGODB_URI"); uri != "" {
		return uri, false, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "zhengwu-ferretdb-")
	if err != nil {
		return "", false, nil, err
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:    slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + string(filepath.Separator),
	})
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", false, nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()
	return f.MongoDBURI(), true, func() { // MongoDBURI waits for the listener
		cancel()
		<-done
		_ = os.RemoveAll(dir)
	}, nil
}
