package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"

	"zhengwu/shared/config"
	"zhengwu/shared/kek"
	"zhengwu/shared/openapi"
)

// The deployment files, from this package's directory.
const (
	composeFile = "../../docker-compose.yml"
	caddyFile   = "../../deploy/Caddyfile"
	dockerFile  = "../../Dockerfile"
	goWorkFile  = "../../go.work"
)

// zhengwuService is one service of docker-compose.yml that runs `zhengwu
// serve`, its command parsed by the binary's own parser.
type zhengwuService struct {
	name   string
	svc    types.ServiceConfig
	cfg    config.Config
	target string
}

// Docker cannot run here, so docker-compose.yml, deploy/Caddyfile and the
// Dockerfile are checked against the binary itself:
//   - the compose file loads with compose-go (the library `docker compose`
//     itself loads with: the Compose schema, interpolation, and every
//     secret, config and volume a service names declared);
//   - each zhengwu service's command and environment parse with the serve
//     flag set (a misspelt flag or bad value fails), its secrets made by
//     deploy/secrets.sh, the master key readable as one;
//   - two of each target, none `all`, each with the MongoDB URI, its own
//     declared volume at its --data, a health check the binary answers on
//     a path its target serves, the demo seeded by processes every other
//     one waits for;
//   - every route each target mounts, and every API prefix the SPA calls,
//     goes through the Caddyfile's handle blocks to upstreams (compose
//     services, on their --addr port) whose target mounts it; the SPA's
//     pages too; every pool is health-checked on a path its members serve;
//     TLS from mounted secrets, HSTS;
//   - the Dockerfile copies every module of go.work, every source it copies
//     exists, and the health check calls the binary where the image puts it.
func TestDockerComposeDeployment(t *testing.T) {
	ctx := context.Background()
	project, err := loader.LoadWithContext(ctx, types.ConfigDetails{WorkingDir: "../..",
		ConfigFiles: []types.ConfigFile{{Filename: composeFile}}, Environment: types.Mapping{}},
		func(o *loader.Options) { o.SetProjectName("zhengwu", true) })
	if err != nil {
		t.Fatalf("docker-compose.yml does not load: %v", err)
	}
	secrets := makeSecrets(t, project)
	binary := dockerEntrypoint(t)

	services := parseZhengwuServices(t, project, secrets)
	byTarget := map[string][]zhengwuService{}
	for _, s := range services {
		byTarget[s.target] = append(byTarget[s.target], s)
	}
	for _, target := range []string{"cms", "officeapi", "search", "gateway"} {
		if len(byTarget[target]) != 2 {
			t.Errorf("target %s: %d services, want 2", target, len(byTarget[target]))
		}
	}
	checkVolumes(t, project, services)
	checkDemoSeeding(t, project, services)

	// One server per target, as `serve --target T` builds it (on SQLite:
	// the routes do not depend on the store).
	servers := map[string]*server{}
	for target := range byTarget {
		servers[target] = newTargetServer(t, target)
	}
	for _, s := range services {
		checkHealthCheck(t, s, servers[s.target], binary)
	}

	site, err := parseCaddyfile(caddyFile)
	if err != nil {
		t.Fatal(err)
	}
	checkCaddySite(t, project, site)
	// Every request comes from Caddy: each zhengwu must take the client
	// from Caddy's X-Forwarded-For, or the rate limit, the login lockout
	// and the audit trail see one client, Caddy.
	caddyNet := project.Services["caddy"].Networks["default"]
	if caddyNet == nil || caddyNet.Ipv4Address == "" {
		t.Error("caddy has no fixed address on the default network: the zhengwu services cannot trust it")
	} else {
		for _, s := range services {
			if !slices.ContainsFunc(s.cfg.TrustedProxies, func(p string) bool { return ipIn(caddyNet.Ipv4Address, p) }) {
				t.Errorf("%s: trusts %v, not Caddy's %s", s.name, s.cfg.TrustedProxies, caddyNet.Ipv4Address)
			}
			if s.cfg.RateLimit == 0 {
				t.Errorf("%s: no rate limit", s.name)
			}
		}
	}
	// serverFor are the servers of a route's upstreams, each checked to
	// be a zhengwu service reached on its --addr port.
	serverFor := func(r caddyRoute) []*server {
		t.Helper()
		if len(r.upstreams) < 2 {
			t.Errorf("handle %q: %d upstreams, want the two services of a target", r.path, len(r.upstreams))
		}
		var out []*server
		for _, up := range r.upstreams {
			host, port, err := net.SplitHostPort(up)
			i := slices.IndexFunc(services, func(s zhengwuService) bool { return s.name == host })
			if err != nil || i < 0 {
				t.Errorf("handle %q: upstream %s is no zhengwu service", r.path, up)
				continue
			}
			if _, want, _ := net.SplitHostPort(services[i].cfg.Addr); port != want {
				t.Errorf("handle %q: upstream %s, but %s listens on port %s", r.path, up, host, want)
			}
			out = append(out, servers[services[i].target])
		}
		return out
	}
	get := func(srv *server, path string) (int, string) {
		t.Helper()
		res, err := srv.app.Test(httptest.NewRequest("GET", path, nil), 10000)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode, res.Header.Get("Content-Type")
	}

	pools := map[string][]*server{} // by handle path
	for _, r := range site.routes {
		pools[r.path] = serverFor(r)
	}

	// Every pool is health-checked on a path each of its members answers.
	for _, r := range site.routes {
		uri := r.proxy["health_uri"]
		if len(uri) != 1 {
			t.Errorf("handle %q: reverse_proxy without health_uri", r.path)
			continue
		}
		for _, srv := range pools[r.path] {
			if status, _ := get(srv, uri[0]); status != 200 {
				t.Errorf("handle %q: health_uri %s answers %d", r.path, uri[0], status)
			}
		}
	}

	// Every route every target mounts reaches, through the proxy, only
	// services whose target mounts that route.
	mounted := func(srv *server, api, method, path string) bool {
		return slices.ContainsFunc(srv.routes[api], func(r openapi.Route) bool { return r.Method == method && r.Path == path })
	}
	routesChecked := 0
	for target, srv := range servers {
		for _, a := range apis {
			for _, op := range srv.routes[a.name] {
				reqPath := a.base + fillParams(op.Path)
				r, ok := site.route(reqPath)
				if !ok {
					t.Errorf("%s %s (%s): no handle block takes it", op.Method, reqPath, target)
					continue
				}
				for i, up := range pools[r.path] {
					if !mounted(up, a.name, op.Method, op.Path) {
						t.Errorf("%s %s (mounted by %s) goes to %s, whose target does not mount it", op.Method, reqPath, target, r.upstreams[i])
					}
				}
				routesChecked++
			}
		}
	}
	if routesChecked < 100 {
		t.Fatalf("only %d routes checked: the servers mounted too few", routesChecked)
	}

	// The API prefixes the SPA calls (its sources name them): each one's
	// description reaches a service that serves that API.
	prefixes := spaAPIPrefixes(t)
	for _, want := range []string{"/api/office/v1", "/api/portal/v1", "/api/search/v1"} {
		if !slices.Contains(prefixes, want) {
			t.Errorf("the SPA's sources do not name %s: the scan is broken", want)
		}
	}
	for _, prefix := range prefixes {
		r, ok := site.route(prefix + "/openapi.json")
		if !ok {
			t.Errorf("%s: not routed", prefix)
			continue
		}
		for i, up := range pools[r.path] {
			if status, _ := get(up, prefix+"/openapi.json"); status != 200 {
				t.Errorf("the SPA calls %s, routed to %s, which does not serve that API (%d)", prefix, r.upstreams[i], status)
			}
		}
	}
	// The SPA's pages (history mode: any page path) and a deep link.
	for _, page := range []string{"/", "/office/desk", "/portal/items/x"} {
		r, ok := site.route(page)
		if !ok {
			t.Errorf("%s: not routed", page)
			continue
		}
		for i, up := range pools[r.path] {
			if status, ct := get(up, page); status != 200 || !strings.HasPrefix(ct, "text/html") {
				t.Errorf("page %s goes to %s, which answers %d %s, not the SPA", page, r.upstreams[i], status, ct)
			}
		}
	}

	checkDockerfile(t)
}

// ipIn: ip is the address or in the CIDR range p.
func ipIn(ip, p string) bool {
	if _, n, err := net.ParseCIDR(p); err == nil {
		return n.Contains(net.ParseIP(ip))
	}
	return net.ParseIP(p).Equal(net.ParseIP(ip))
}

// fillParams gives each {param} of an OpenAPI path a value.
func fillParams(p string) string {
	return regexp.MustCompile(`\{[A-Za-z]+\}`).ReplaceAllString(p, "x1")
}

// makeSecrets runs deploy/secrets.sh in a copy of deploy/ and returns
// the file it made for each secret docker-compose.yml declares (all of
// which must be files it makes, under deploy/secrets/).
func makeSecrets(t *testing.T, project *types.Project) map[string]string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "deploy"), 0o755); err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile("../../deploy/secrets.sh")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "deploy", "secrets.sh"), script, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("sh", filepath.Join(dir, "deploy", "secrets.sh")).CombinedOutput(); err != nil {
		t.Fatalf("deploy/secrets.sh: %v\n%s", err, out)
	}
	root, _ := filepath.Abs("../..")
	files := map[string]string{}
	for name, s := range project.Secrets {
		abs, _ := filepath.Abs(s.File)
		rel, err := filepath.Rel(root, abs)
		if s.File == "" || err != nil || filepath.Dir(rel) != "deploy/secrets" {
			t.Errorf("secret %s: file %q, want one in deploy/secrets/", name, s.File)
			continue
		}
		made := filepath.Join(dir, rel)
		if fi, err := os.Stat(made); err != nil || fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("secret %s: deploy/secrets.sh does not make %s readable by its owner alone (%v)", name, rel, err)
		}
		files[name] = made
	}
	return files
}

// parseZhengwuServices are the services running `zhengwu serve`, their
// commands and environments parsed as the binary parses them, with each
// /run/secrets/NAME read from the file deploy/secrets.sh made.
func parseZhengwuServices(t *testing.T, project *types.Project, secrets map[string]string) []zhengwuService {
	t.Helper()
	var out []zhengwuService
	for name, svc := range project.Services {
		if len(svc.Command) == 0 || svc.Command[0] != "serve" {
			continue
		}
		if svc.Image != "zhengwu:latest" || svc.Build == nil {
			t.Errorf("%s: runs serve but is not the zhengwu image built here", name)
		}
		// What this service mounts: /run/secrets/<target> → the made file.
		mountedSecret := map[string]string{}
		for _, s := range svc.Secrets {
			target := s.Target
			if target == "" {
				target = s.Source
			}
			if !strings.HasPrefix(target, "/") {
				target = "/run/secrets/" + target
			}
			mountedSecret[target] = secrets[s.Source]
		}
		resolve := func(v string) string {
			if strings.HasPrefix(v, "/run/secrets/") {
				f, ok := mountedSecret[v]
				if !ok {
					t.Errorf("%s: names %s, a secret it does not mount", name, v)
				}
				return f
			}
			return v
		}
		env := map[string]string{}
		for k, v := range svc.Environment {
			if v != nil {
				env[k] = resolve(*v)
			}
		}
		args := slices.Clone(svc.Command[1:])
		for i := range args {
			args[i] = resolve(args[i])
		}
		cfg, err := config.Parse(args, func(k string) string { return env[k] }, io.Discard)
		if err != nil {
			t.Errorf("%s: serve %v: %v", name, svc.Command[1:], err)
			continue
		}
		if len(cfg.Targets) != 1 || cfg.Targets[0] == "all" {
			t.Errorf("%s: targets %v, want one service's", name, cfg.Targets)
			continue
		}
		if cfg.MongoURI == "" {
			t.Errorf("%s: no MongoDB URI: it would run on its own SQLite file", name)
		}
		if cfg.KeyFile == "" {
			t.Errorf("%s: no --key-file: each process would make its own master key", name)
		} else if _, err := kek.ReadFile(cfg.KeyFile); err != nil {
			t.Errorf("%s: master key: %v", name, err)
		}
		if cfg.Demo {
			if pw, err := config.Lookup(func(k string) string { return env[k] }, "ZHENGWU_DEMO_PASSWORD"); err != nil || pw == "" {
				t.Errorf("%s: seeds the demo without a demo password secret (%v): the password would be random", name, err)
			}
		}
		// Keep the unresolved paths: they are the container's.
		cfg.KeyFile = ""
		out = append(out, zhengwuService{name: name, svc: svc, cfg: cfg, target: cfg.Targets[0]})
	}
	slices.SortFunc(out, func(a, b zhengwuService) int { return strings.Compare(a.name, b.name) })
	return out
}

// checkVolumes: each zhengwu keeps its indexes in its own named volume,
// declared, mounted where --data points.
func checkVolumes(t *testing.T, project *types.Project, services []zhengwuService) {
	t.Helper()
	owner := map[string]string{}
	for _, s := range services {
		i := slices.IndexFunc(s.svc.Volumes, func(v types.ServiceVolumeConfig) bool { return v.Target == s.cfg.Data })
		if i < 0 {
			t.Errorf("%s: nothing mounted at its --data %s", s.name, s.cfg.Data)
			continue
		}
		v := s.svc.Volumes[i]
		if v.Type != types.VolumeTypeVolume {
			t.Errorf("%s: %s is a %s, want a named volume", s.name, s.cfg.Data, v.Type)
		}
		if _, ok := project.Volumes[v.Source]; !ok {
			t.Errorf("%s: volume %s is not declared", s.name, v.Source)
		}
		if other, ok := owner[v.Source]; ok {
			t.Errorf("%s and %s share the volume %s: Bleve indexes are one process's", s.name, other, v.Source)
		}
		owner[v.Source] = s.name
	}
}

// checkDemoSeeding: the demo is seeded by a cms and an officeapi (the
// portal's demo content is the cms module's, the office's the officeapi
// modules'), and every other zhengwu waits until they are healthy (they
// seed before they serve), so no two processes seed at once.
func checkDemoSeeding(t *testing.T, project *types.Project, services []zhengwuService) {
	t.Helper()
	var seeders []zhengwuService
	for _, s := range services {
		if s.cfg.Demo {
			seeders = append(seeders, s)
		}
	}
	targets := map[string]bool{}
	for _, s := range seeders {
		targets[s.target] = true
	}
	if len(seeders) != 2 || !targets["cms"] || !targets["officeapi"] {
		t.Fatalf("demo seeded by %d services (%v), want one cms and one officeapi", len(seeders), targets)
	}
	// waitsFor: name depends, directly or not, on dep being healthy.
	var waitsFor func(name, dep string, seen map[string]bool) bool
	waitsFor = func(name, dep string, seen map[string]bool) bool {
		if seen[name] {
			return false
		}
		seen[name] = true
		for d, c := range project.Services[name].DependsOn {
			if (d == dep && c.Condition == types.ServiceConditionHealthy) || waitsFor(d, dep, seen) {
				return true
			}
		}
		return false
	}
	for _, s := range services {
		for _, seeder := range seeders {
			if s.name != seeder.name && !waitsFor(s.name, seeder.name, map[string]bool{}) &&
				!waitsFor(seeder.name, s.name, map[string]bool{}) {
				t.Errorf("%s and %s may start together, and %s seeds the demo", s.name, seeder.name, seeder.name)
			}
		}
	}
}

// checkHealthCheck: the container's health check runs the binary where
// the image puts it, `zhengwu health URL`, on the service's port and a
// path its target answers 200; and the sub-command passes against the
// target's real server and fails on a path it does not serve.
func checkHealthCheck(t *testing.T, s zhengwuService, srv *server, binary string) {
	t.Helper()
	hc := s.svc.HealthCheck
	if hc == nil || hc.Disable || len(hc.Test) != 4 || hc.Test[0] != "CMD" || hc.Test[1] != binary || hc.Test[2] != "health" {
		t.Errorf("%s: health check %v, want [CMD %s health URL]", s.name, hc, binary)
		return
	}
	u, err := url.Parse(hc.Test[3])
	_, addrPort, _ := net.SplitHostPort(s.cfg.Addr)
	if err != nil || u.Hostname() != "127.0.0.1" || u.Port() != addrPort {
		t.Errorf("%s: health check asks %s, but the service listens on %s", s.name, hc.Test[3], s.cfg.Addr)
		return
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.app.Listener(ln) }()
	defer ln.Close()
	live := "http://" + ln.Addr().String()
	if code := run(context.Background(), []string{"health", live + u.Path}, nil, io.Discard, io.Discard, envOf(nil)); code != 0 {
		t.Errorf("%s: `zhengwu health %s` fails against a ready %s server (%d)", s.name, u.Path, s.target, code)
	}
	if code := run(context.Background(), []string{"health", live + "/api/no-such-endpoint"}, nil, io.Discard, io.Discard, envOf(nil)); code == 0 {
		t.Errorf("`zhengwu health` passes on a path that answers 404")
	}
}

// checkCaddySite: TLS from files Caddy mounts as secrets, HSTS, and the
// site's address from the environment compose gives Caddy.
func checkCaddySite(t *testing.T, project *types.Project, site *caddySite) {
	t.Helper()
	caddy, ok := project.Services["caddy"]
	if !ok {
		t.Fatal("no caddy service")
	}
	if !slices.ContainsFunc(caddy.Configs, func(c types.ServiceConfigObjConfig) bool {
		return c.Target == "/etc/caddy/Caddyfile" && project.Configs[c.Source].File != "" &&
			strings.HasSuffix(project.Configs[c.Source].File, "deploy/Caddyfile")
	}) {
		t.Error("caddy does not run deploy/Caddyfile")
	}
	tls := site.directives["tls"]
	if len(tls) != 2 {
		t.Fatalf("tls %v: want the certificate and key files", tls)
	}
	for _, f := range tls {
		name, ok := strings.CutPrefix(f, "/run/secrets/")
		if !ok || !slices.ContainsFunc(caddy.Secrets, func(s types.ServiceSecretConfig) bool { return s.Source == name }) {
			t.Errorf("tls file %s is not a secret caddy mounts", f)
		}
	}
	if h := strings.Join(site.directives["header"], " "); !strings.Contains(h, "Strict-Transport-Security") || !strings.Contains(h, "max-age=") {
		t.Errorf("no HSTS header: %q", h)
	}
	// An Internet client's sampled traceparent would be recorded whatever
	// the sample ratio: the edge drops it (docs/operations.md, 链路追踪).
	for _, h := range []string{"-traceparent", "-tracestate"} {
		if !slices.Contains(site.directives["request_header"], h) {
			t.Errorf("the site does not drop the client's trace context: want request_header %s", h)
		}
	}
	if m := regexp.MustCompile(`^\{\$([A-Z_]+)`).FindStringSubmatch(site.address); m == nil || caddy.Environment[m[1]] == nil {
		t.Errorf("site address %q: want {$VAR} from caddy's environment", site.address)
	}
}

// spaAPIPrefixes are the /api/NAME/vN prefixes named in the SPA's sources.
func spaAPIPrefixes(t *testing.T) []string {
	t.Helper()
	re := regexp.MustCompile(`/api/[a-z]+/v[0-9]+`)
	seen := map[string]bool{}
	err := filepath.WalkDir("../../frontend/src", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".ts") || strings.HasSuffix(path, ".vue") || strings.HasSuffix(path, ".json")) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllString(string(data), -1) {
			seen[m] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// dockerEntrypoint is the binary the image runs (its ENTRYPOINT).
func dockerEntrypoint(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(dockerFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "ENTRYPOINT "); ok {
			var argv []string
			if err := json.Unmarshal([]byte(rest), &argv); err != nil || len(argv) == 0 {
				t.Fatalf("ENTRYPOINT %s: want the exec form", rest)
			}
			return argv[0]
		}
	}
	t.Fatal("the Dockerfile has no ENTRYPOINT")
	return ""
}

// checkDockerfile: the build stage copies every module go.work uses (a new
// module without its COPY line breaks `docker build` only), and every
// source the Dockerfile copies from the context exists.
func checkDockerfile(t *testing.T) {
	t.Helper()
	data, err := os.ReadFile(dockerFile)
	if err != nil {
		t.Fatal(err)
	}
	var copied []string
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 3 || fields[0] != "COPY" {
			continue
		}
		var srcs []string
		for _, f := range fields[1 : len(fields)-1] {
			if strings.HasPrefix(f, "--from=") {
				srcs = nil
				break
			}
			if !strings.HasPrefix(f, "--") {
				srcs = append(srcs, f)
			}
		}
		for _, src := range srcs {
			copied = append(copied, filepath.Clean(src))
			// go.work.sum* and the like may match nothing; a plain path must exist.
			matches, _ := filepath.Glob(filepath.Join("../..", src))
			if len(matches) == 0 && !strings.HasSuffix(src, "*") {
				t.Errorf("Dockerfile: COPY %s: no such file in the repository", src)
			}
		}
	}
	work, err := os.ReadFile(goWorkFile)
	if err != nil {
		t.Fatal(err)
	}
	_, uses, _ := strings.Cut(string(work), "use (")
	uses, _, _ = strings.Cut(uses, ")")
	modules := strings.Fields(uses)
	if len(modules) < 5 {
		t.Fatalf("go.work uses %v: the parse is broken", modules)
	}
	for _, m := range modules {
		m = filepath.Clean(m)
		if !slices.ContainsFunc(copied, func(c string) bool {
			return c == m || strings.HasPrefix(m, c+"/") || c == m+"/go.mod"
		}) {
			t.Errorf("Dockerfile: go.work uses %s, which no COPY line brings into the build", m)
		}
	}
	if !slices.Contains(copied, "go.work") {
		t.Error("Dockerfile: go.work is not copied")
	}
}

// newTargetServer builds the application `serve --target target` runs.
func newTargetServer(t *testing.T, target string) *server {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Parse([]string{"--target", target, "--data", t.TempDir(), "--log-level", "error"}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := openRuntime(ctx, cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := newServer(ctx, cfg, rt)
	if err != nil {
		rt.Close()
		t.Fatal(fmt.Errorf("target %s: %w", target, err))
	}
	t.Cleanup(func() {
		srv.Close()
		rt.Close()
	})
	return srv
}
