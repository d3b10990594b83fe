// Package cmstest gives the CMS's tests its services as the server builds
// them, on a testkit environment, so that each package's tests do not
// assemble them again: the content service with the portal's channels
// seeded.
package cmstest

import (
	"context"
	"path/filepath"

	"zhengwu/cms/channel"
	"zhengwu/cms/content"
	"zhengwu/shared/testkit"
)

// Content is the content service on k's store, audit trail and clock,
// with its index in k's directory and the portal's channels seeded; opt,
// when not nil, sets optional dependencies (MediaInfo …). It is closed
// when the test ends. Its feed runs only when the test runs it (Run), or
// is caught up by hand (CatchUp).
func Content(k *testkit.Env, opt func(*content.Deps)) *content.Service {
	t := k.T
	t.Helper()
	tree, err := channel.Seed(context.Background(), k.Store)
	if err != nil {
		t.Fatal(err)
	}
	deps := content.Deps{Store: k.Store, Trail: k.Trail, Channels: tree, Now: k.Clock.Now,
		IndexDir: filepath.Join(k.Dir, "content"), Logger: k.Log}
	if opt != nil {
		opt(&deps)
	}
	svc, err := content.New(deps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Close() })
	return svc
}

// Run feeds svc's list index from the store's change feed, as serve does,
// until the test ends.
func Run(k *testkit.Env, svc *content.Service) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = svc.Run(ctx); close(done) }()
	k.T.Cleanup(func() { cancel(); <-done })
}
