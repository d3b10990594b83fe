package main

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"

	"zhengwu/shared/config"
)

// apiDocs are the APIs whose descriptions `zhengwu openapi` writes, by
// file name: what the SPA's TypeScript types are generated from.
var apiDocs = map[string]string{
	"office.json": "/api/office/v1/openapi.json",
	"portal.json": "/api/portal/v1/openapi.json",
	"search.json": "/api/search/v1/openapi.json",
}

// openapiCommand writes the OpenAPI documents of a server running every
// target (on a throw-away data directory) into dir.
func openapiCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: zhengwu openapi DIR")
	}
	dir := args[0]
	tmp, err := os.MkdirTemp("", "zhengwu-openapi-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cfg, err := config.Parse([]string{"--data", tmp, "--log-level", "error"}, func(string) string { return "" }, stderr)
	if err != nil {
		return err
	}
	rt, err := openRuntime(ctx, cfg, io.Discard)
	if err != nil {
		return err
	}
	defer rt.Close()
	srv, err := newServer(ctx, cfg, rt)
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, path := range apiDocs {
		res, err := srv.app.Test(httptest.NewRequest("GET", path, nil), 30_000)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 {
			return fmt.Errorf("%s: %d %v", path, res.StatusCode, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), append(body, '\n'), 0o644); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "wrote", filepath.Join(dir, name))
	}
	return nil
}
