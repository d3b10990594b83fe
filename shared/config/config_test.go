package config

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

func noEnv(string) string { return "" }

func TestDefaults(t *testing.T) {
	c, err := Parse(nil, noEnv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Addr: "127.0.0.1:8080", Data: "./data", MongoDatabase: "zhengwu", Targets: []string{"all"},
		LogLevel: slog.LevelInfo, LogFormat: "text", BodyLimit: 1 << 20, UploadLimit: 50 << 20, RateLimit: 1200,
		Policy: auth.DefaultPolicy, MaxClassification: classification.Jimi, MailMaxClassification: classification.Mimi, MailQuota: 2 << 30,
		ReminderInterval: time.Minute, FixityInterval: 24 * time.Hour, SearchReconcileInterval: 10 * time.Minute, SearchReleaseInterval: 30 * time.Second, NotificationRetention: 90 * 24 * time.Hour,
		SearchLogRetention: 180 * 24 * time.Hour, TraceSample: 0.1, LeaseTTL: 15 * time.Second, MemoryGovernor: true} // the flags' defaults are the policy's
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("defaults:\n got %+v\nwant %+v", c, want)
	}
}

// Each option: a flag value, an env value, a bad value, and what it sets.
func TestEveryOption(t *testing.T) {
	cases := map[string]struct {
		flagVal, envVal, bad string
		get                  func(Config) any
		wantFlag, wantEnv    any
	}{
		"addr":                    {"0.0.0.0:9000", "127.0.0.1:1", "nocolon", func(c Config) any { return c.Addr }, "0.0.0.0:9000", "127.0.0.1:1"},
		"data":                    {"/tmp/a", "/tmp/b", "", func(c Config) any { return c.Data }, "/tmp/a", "/tmp/b"},
		"mongodb-uri":             {"mongodb://a/", "mongodb+srv://b/", "postgres://x", func(c Config) any { return c.MongoURI }, "mongodb://a/", "mongodb+srv://b/"},
		"mongodb-database":        {"x", "y", "", func(c Config) any { return c.MongoDatabase }, "x", "y"},
		"target":                  {"cms,search", "gateway", "cms,mail", func(c Config) any { return c.Targets }, []string{"cms", "search"}, []string{"gateway"}},
		"demo":                    {"true", "1", "maybe", func(c Config) any { return c.Demo }, true, true},
		"log-level":               {"debug", "warn", "loud", func(c Config) any { return c.LogLevel }, slog.LevelDebug, slog.LevelWarn},
		"log-format":              {"json", "text", "xml", func(c Config) any { return c.LogFormat }, "json", "text"},
		"cors-origins":            {"https://a.gov.cn,https://b.gov.cn", "http://localhost:5173", "ftp://x", func(c Config) any { return c.CORSOrigins }, []string{"https://a.gov.cn", "https://b.gov.cn"}, []string{"http://localhost:5173"}},
		"body-limit":              {"2048", "4096", "12", func(c Config) any { return c.BodyLimit }, 2048, 4096},
		"upload-limit":            {"2048", "1048576", "10", func(c Config) any { return c.UploadLimit }, 2048, 1048576},
		"media-dir":               {"/srv/media", "/tmp/m", "a\x00b", func(c Config) any { return c.MediaDir }, "/srv/media", "/tmp/m"},
		"rate-limit":              {"0", "60", "-1", func(c Config) any { return c.RateLimit }, 0, 60},
		"trusted-proxies":         {"172.28.0.10", "10.1.0.0/16,10.2.0.1", "caddy", func(c Config) any { return c.TrustedProxies }, []string{"172.28.0.10"}, []string{"10.1.0.0/16", "10.2.0.1"}},
		"lockout-attempts":        {"3", "10", "0", func(c Config) any { return c.LockoutAttempts }, 3, 10},
		"lockout-window":          {"5m", "1h", "soon", func(c Config) any { return c.LockoutWindow }, 5 * time.Minute, time.Hour},
		"max-classification":      {"绝密", "秘密", "secret", func(c Config) any { return c.MaxClassification }, classification.Juemi, classification.Mimi},
		"mail-max-classification": {"非密", "机密", "top", func(c Config) any { return c.MailMaxClassification }, classification.Feimi, classification.Jimi},
		"mail-quota":              {"1048576", "4294967296", "1", func(c Config) any { return c.MailQuota }, int64(1 << 20), int64(4 << 30)},
		"lockout-duration":        {"1m", "2h", "-1m", func(c Config) any { return c.LockoutDuration }, time.Minute, 2 * time.Hour},
		"session-idle":            {"10m", "20m", "0s", func(c Config) any { return c.SessionIdle }, 10 * time.Minute, 20 * time.Minute},
		"session-max":             {"1h", "8h", "x", func(c Config) any { return c.SessionMax }, time.Hour, 8 * time.Hour},
		"metrics-addr":            {"127.0.0.1:9090", "10.0.0.5:9100", "9090", func(c Config) any { return c.MetricsAddr }, "127.0.0.1:9090", "10.0.0.5:9100"},
		"key-file":                {"/etc/zhengwu/master.key", "/run/secrets/kek", "a\nb", func(c Config) any { return c.KeyFile }, "/etc/zhengwu/master.key", "/run/secrets/kek"},
		"password-max-age":        {"30d", "0", "90", func(c Config) any { return c.PasswordMaxAge }, 30 * 24 * time.Hour, time.Duration(0)},
		"reminder-interval":       {"30s", "5m", "0s", func(c Config) any { return c.ReminderInterval }, 30 * time.Second, 5 * time.Minute},
		"fixity-interval":         {"1h", "168h", "0s", func(c Config) any { return c.FixityInterval }, time.Hour, 168 * time.Hour},
		"ffmpeg":                  {"/usr/bin/ffmpeg", "/opt/ffmpeg/bin/ffmpeg", "a\x00b", func(c Config) any { return c.FFmpeg }, "/usr/bin/ffmpeg", "/opt/ffmpeg/bin/ffmpeg"},
		"password-history":        {"3", "12", "0", func(c Config) any { return c.PasswordHistory }, 3, 12},
		"document-fonts": {"xiaobiaosong=/opt/fonts/FZXBSJW.TTF, fangsong=/opt/fonts/fs.ttf", "hei=/usr/share/fonts/wqy.ttc#1", "heiti=/x.ttf",
			func(c Config) any { return c.DocumentFonts },
			map[string]string{"xiaobiaosong": "/opt/fonts/FZXBSJW.TTF", "fangsong": "/opt/fonts/fs.ttf"}, map[string]string{"hei": "/usr/share/fonts/wqy.ttc#1"}},
		"notification-retention": {"720h", "8760h", "0s", func(c Config) any { return c.NotificationRetention }, 720 * time.Hour, 8760 * time.Hour},
		"search-log-retention":   {"720h", "8760h", "0s", func(c Config) any { return c.SearchLogRetention }, 720 * time.Hour, 8760 * time.Hour},
		"pprof":                  {"true", "1", "sometimes", func(c Config) any { return c.Profiling }, true, true},
		"memory-limit":           {"400MiB", "1073741824", "10MiB", func(c Config) any { return c.MemoryLimit }, int64(400 << 20), int64(1 << 30)},
		"memory-governor":        {"false", "0", "sometimes", func(c Config) any { return c.MemoryGovernor }, false, false},
		"otlp-endpoint":          {"http://otel-collector:4318", "https://apm.example.gov.cn/otlp", "http://user:pw@c:4318", func(c Config) any { return c.OTLPEndpoint }, "http://otel-collector:4318", "https://apm.example.gov.cn/otlp"},
		"trace-sample":           {"1", "0.05", "1.5", func(c Config) any { return c.TraceSample }, 1.0, 0.05},
		"lease-ttl":              {"30s", "2s", "500ms", func(c Config) any { return c.LeaseTTL }, 30 * time.Second, 2 * time.Second},
		"sqlite-file":            {"/srv/db/zhengwu.db", "/tmp/z.db", "a\x00b", func(c Config) any { return c.SQLiteFile }, "/srv/db/zhengwu.db", "/tmp/z.db"},

		"search-reconcile-interval": {"1m", "1h", "30s", func(c Config) any { return c.SearchReconcileInterval }, time.Minute, time.Hour},
		"search-release-interval":   {"1m", "0", "10ms", func(c Config) any { return c.SearchReleaseInterval }, time.Minute, time.Duration(0)},
	}
	if len(cases) != len(Options) {
		t.Fatalf("%d options but %d cases: every option needs a case", len(Options), len(cases))
	}
	for _, o := range Options {
		tc, ok := cases[o.Flag]
		if !ok {
			t.Fatalf("no case for --%s", o.Flag)
		}
		t.Run(o.Flag, func(t *testing.T) {
			env := func(k string) string {
				if k == o.Env() {
					return tc.envVal
				}
				return ""
			}
			c, err := Parse(nil, env, io.Discard)
			if err != nil || !reflect.DeepEqual(tc.get(c), tc.wantEnv) {
				t.Fatalf("env %s=%s: got %v (%v), want %v", o.Env(), tc.envVal, tc.get(c), err, tc.wantEnv)
			}
			c, err = Parse([]string{"--" + o.Flag + "=" + tc.flagVal}, env, io.Discard)
			if err != nil || !reflect.DeepEqual(tc.get(c), tc.wantFlag) {
				t.Fatalf("flag beats env: got %v (%v), want %v", tc.get(c), err, tc.wantFlag)
			}
			if _, err := Parse([]string{"--" + o.Flag + "=" + tc.bad}, noEnv, io.Discard); err == nil {
				t.Fatalf("--%s=%q accepted", o.Flag, tc.bad)
			}
		})
	}
}

// ZHENGWU_MASTER_KEY: from the environment only, never echoed, never
// printed with the configuration, and not together with --key-file.
func TestMasterKeySecret(t *testing.T) {
	const key = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=" // base64 of 32 bytes
	c, err := Parse(nil, envOf("ZHENGWU_MASTER_KEY", key), io.Discard)
	if err != nil || c.MasterKey.IsZero() {
		t.Fatalf("env master key: %v %v", c.MasterKey, err)
	}
	if s := fmt.Sprintf("%v %+v %#v", c, c, c); strings.Contains(s, key[:12]) || !strings.Contains(s, c.MasterKey.ID()) {
		t.Fatalf("the configuration prints the key: %s", s)
	}
	const bad = "c2VjcmV0LWJ1dC1zaG9ydA=="
	if _, err := Parse(nil, envOf("ZHENGWU_MASTER_KEY", bad), io.Discard); err == nil || strings.Contains(err.Error(), bad) {
		t.Fatalf("a short key: %v", err)
	}
	if _, err := Parse([]string{"--master-key=" + key}, noEnv, io.Discard); err == nil {
		t.Fatal("the master key accepted as a flag")
	}
	if _, err := Parse([]string{"--key-file=/k"}, envOf("ZHENGWU_MASTER_KEY", key), io.Discard); err == nil {
		t.Fatal("both --key-file and ZHENGWU_MASTER_KEY accepted")
	}
}

func envOf(kv ...string) func(string) string {
	return func(k string) string {
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i] == k {
				return kv[i+1]
			}
		}
		return ""
	}
}

func TestBareBoolAndRuns(t *testing.T) {
	c, err := Parse([]string{"--demo", "--target", "cms"}, noEnv, io.Discard)
	if err != nil || !c.Demo {
		t.Fatalf("--demo: %+v %v", c, err)
	}
	if !c.Runs("cms") || c.Runs("officeapi") {
		t.Fatalf("Runs: %v", c.Targets)
	}
	if _, err := Parse([]string{"stray"}, noEnv, io.Discard); err == nil {
		t.Fatal("stray argument accepted")
	}
}

func TestReadmeListsEveryOption(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal("README.md not found from this directory")
	}
	for _, o := range Options {
		if !strings.Contains(string(readme), "`--"+o.Flag+"`") || !strings.Contains(string(readme), o.Env()) {
			t.Errorf("README.md does not list --%s / %s", o.Flag, o.Env())
		}
	}
	for _, s := range Secrets {
		if !strings.Contains(string(readme), "`"+s.Env+"`") {
			t.Errorf("README.md does not list %s", s.Env)
		}
	}
}

func TestPasswordMaxAgeForms(t *testing.T) {
	for v, want := range map[string]time.Duration{"90d": 90 * 24 * time.Hour, "2160h": 2160 * time.Hour, "0": 0, "1d": 24 * time.Hour} {
		c, err := Parse([]string{"--password-max-age=" + v}, noEnv, io.Discard)
		if err != nil || c.PasswordMaxAge != want {
			t.Errorf("%s: %v (%v), want %v", v, c.PasswordMaxAge, err, want)
		}
	}
	for _, bad := range []string{"-1d", "0d", "xd", "1.5d", "-2h", "9999d"} {
		if _, err := Parse([]string{"--password-max-age=" + bad}, noEnv, io.Discard); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
