package index_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"zhengwu/search/index"
)

func writeFile(path string) error { return os.WriteFile(path, []byte("x"), 0o644) }

func TestWaitFor(t *testing.T) {
	t.Parallel()
	ix := openIndex(t, filepath.Join(t.TempDir(), "articles"))
	ctx := context.Background()

	if err := ix.WaitFor(ctx, 0, time.Millisecond); err != nil {
		t.Errorf("seq 0: %v", err)
	}

	// Released by an Apply that reaches the sequence, not before.
	done := make(chan error, 1)
	go func() { done <- ix.WaitFor(ctx, 5, 10*time.Second) }()
	if err := ix.Apply(index.Batch{Checkpoint: 4}); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		t.Fatalf("WaitFor(5) returned at checkpoint 4: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	start := time.Now()
	if err := ix.Apply(index.Batch{Checkpoint: 6}); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("WaitFor(5): %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("WaitFor woke %s after the apply", d)
	}

	// Timeout.
	err := ix.WaitFor(ctx, 100, 30*time.Millisecond)
	if !errors.Is(err, index.ErrWaitTimeout) {
		t.Errorf("timeout: err = %v", err)
	}

	// Context.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := ix.WaitFor(cctx, 100, time.Minute); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}

	// Close releases waiters.
	go func() { done <- ix.WaitFor(ctx, 100, time.Minute) }()
	time.Sleep(20 * time.Millisecond)
	ix.Close()
	if err := <-done; !errors.Is(err, index.ErrClosed) {
		t.Errorf("closed: err = %v", err)
	}
}

func TestConsistentWith(t *testing.T) {
	t.Parallel()
	ix := openIndex(t, filepath.Join(t.TempDir(), "articles"))
	if err := ix.Apply(index.Batch{Checkpoint: 10}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		raw     string
		badArg  bool
		timeout bool
	}{
		{raw: ""},
		{raw: "0"},
		{raw: "10"},
		{raw: "11", timeout: true},
		{raw: "abc", badArg: true},
		{raw: "-1", badArg: true},
		{raw: "1.5", badArg: true},
		{raw: "99999999999999999999", badArg: true},
	}
	for _, tt := range tests {
		err := index.ConsistentWith(ctx, ix, tt.raw, 20*time.Millisecond)
		var pe *index.ParamError
		switch {
		case tt.badArg:
			if !errors.As(err, &pe) || pe.Param != "consistentWith" || pe.Value != tt.raw {
				t.Errorf("%q: err = %v, want ParamError on consistentWith", tt.raw, err)
			}
		case tt.timeout:
			if !errors.Is(err, index.ErrWaitTimeout) {
				t.Errorf("%q: err = %v, want ErrWaitTimeout", tt.raw, err)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.raw, err)
		}
	}
}
