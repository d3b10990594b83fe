package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// zhengwu health exits 0 on a 200 only: a 503 (the store unreachable), an
// address nobody listens on, a URL that is not http(s) and extra
// arguments all fail. (TestDockerComposeDeployment runs it against real
// servers of each target.)
func TestHealthCommand(t *testing.T) {
	status := http.StatusOK
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"status":"x"}`)
	}))
	defer ts.Close()
	health := func(args ...string) (int, string) {
		var errOut strings.Builder
		code := run(context.Background(), append([]string{"health"}, args...), nil, io.Discard, &errOut, envOf(nil))
		return code, errOut.String()
	}
	if code, out := health(ts.URL + "/readyz"); code != 0 {
		t.Fatalf("ready: %d %s", code, out)
	}
	status = http.StatusServiceUnavailable
	if code, out := health(ts.URL + "/readyz"); code == 0 || !strings.Contains(out, "503") {
		t.Fatalf("not ready: %d %s", code, out)
	}
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	for _, args := range [][]string{{closed.URL + "/readyz"}, {"ftp://127.0.0.1/readyz"}, {"127.0.0.1:8080"}, {ts.URL, ts.URL}} {
		if code, _ := health(args...); code == 0 {
			t.Errorf("health %v passed", args)
		}
	}
}
