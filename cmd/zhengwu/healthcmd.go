package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// defaultHealthURL is what `zhengwu health` asks without an argument: the
// readiness of a server on the container's usual address.
const defaultHealthURL = "http://127.0.0.1:8080/readyz"

// healthCommand asks a running server whether it is ready and fails
// unless it answers 200: the container health check (docker-compose.yml).
// The runtime image is distroless, with no shell and no curl, so the
// binary asks itself.
func healthCommand(ctx context.Context, args []string, stdout io.Writer) error {
	target := defaultHealthURL
	switch len(args) {
	case 0:
	case 1:
		target = args[0]
	default:
		return fmt.Errorf("usage: zhengwu health [URL] (default %s)", defaultHealthURL)
	}
	if u, err := url.Parse(target); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("health: want an http:// or https:// URL, got %q", target)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("health: %s answered %d: %s", target, res.StatusCode, body)
	}
	fmt.Fprintf(stdout, "%s\n", body)
	return nil
}
