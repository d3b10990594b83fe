// Package config is the one table of Zhengwu's settings. Each option has a
// flag, a ZHENGWU_* environment variable and a default; a flag beats the
// environment, which beats the default. The README's configuration table is
// this table (see TestReadmeListsEveryOption).
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"

	"zhengwu/shared/kek"
	"zhengwu/shared/tracing"
)

// Config is every setting of `zhengwu serve`.
type Config struct {
	Addr          string
	Data          string
	MongoURI      string
	MongoDatabase string
	Targets       []string
	Demo          bool
	LogLevel      slog.Level
	LogFormat     string
	CORSOrigins   []string
	BodyLimit     int
	UploadLimit   int
	MediaDir      string
	RateLimit     int
	// TrustedProxies are the reverse proxies (addresses or CIDR ranges)
	// whose X-Forwarded-For names the client; none = the connection's
	// address is the client's.
	TrustedProxies []string
	// Policy is the login, session and password policy; its fields are
	// the lockout-*, session-* and password-* options.
	auth.Policy
	// MaxClassification is the highest 密级 the deployment may hold.
	MaxClassification classification.Level
	// MailMaxClassification is the highest 密级 internal mail carries;
	// MailQuota the bytes of one mailbox.
	MailMaxClassification classification.Level
	MailQuota             int64
	MetricsAddr           string
	// Profiling serves net/http/pprof beside /metrics on MetricsAddr
	// (internal only: a profile shows code paths and memory contents).
	Profiling bool
	// MemoryLimit is the Go runtime's soft memory limit in bytes
	// (debug.SetMemoryLimit); 0 leaves the runtime's own (GOMEMLIMIT, or
	// none).
	MemoryLimit int64
	// MemoryGovernor keeps the runtime's soft limit at the live heap plus
	// a headroom once the start's catch-up is done, lifted during bulk
	// work (shared/memlimit); off when MemoryLimit or GOMEMLIMIT is set.
	MemoryGovernor bool
	// KeyFile holds the master key (kek.ReadFile); empty = MasterKey or
	// the default <data>/master.key.
	KeyFile string
	// MasterKey is ZHENGWU_MASTER_KEY (environment only); it prints as
	// its id, never its bytes.
	MasterKey kek.Key
	// ReminderInterval is the time between the reminder scheduler's
	// passes over the open workflow tasks.
	ReminderInterval time.Duration
	// FixityInterval is the time between the archive's scheduled fixity
	// checks (SHA-256 of every part of every record).
	FixityInterval time.Duration
	// SearchReconcileInterval is the time between the search indexes'
	// reconciliations with the store (the safety net under the feed).
	SearchReconcileInterval time.Duration
	// SearchReleaseInterval is how often the search indexes' mapped pages
	// are released from the process's memory (0: never).
	SearchReleaseInterval time.Duration
	// NotificationRetention is how long a read notification is kept
	// before the retention sweep deletes it.
	NotificationRetention time.Duration
	// SearchLogRetention is how long the search log keeps a search (and
	// its click) before the retention sweep deletes it.
	SearchLogRetention time.Duration
	// DocumentFonts are the font files an office licenses for the GB/T
	// 9704 PDF of a 公文, by typeface (xiaobiaosong, hei, kai, fangsong,
	// song): a file path, with "#n" for the n-th face of a collection.
	// A typeface not named keeps its stand-in (officeapi/layout.SystemFonts).
	DocumentFonts map[string]string
	// FFmpeg is the ffmpeg program that makes video posters and reads
	// durations (ffprobe beside it); empty = ffmpeg on PATH.
	FFmpeg string
	// OTLPEndpoint is the OTLP/HTTP collector traces go to; empty =
	// tracing off. TraceSample is the share of new traces kept.
	OTLPEndpoint string
	TraceSample  float64
	// LeaseTTL is how long a singleton's lease holds without a renewal:
	// a standby takes over within LeaseTTL + LeaseTTL/3 of the holder's
	// death (shared/lease).
	LeaseTTL time.Duration
	// SQLiteFile is the embedded store's file; empty = <data>/zhengwu.db
	// (SQLitePath).
	SQLiteFile string
}

// SQLitePath is the embedded store's file: --sqlite-file, else zhengwu.db
// in the data directory.
func (c Config) SQLitePath() string {
	if c.SQLiteFile != "" {
		return c.SQLiteFile
	}
	return filepath.Join(c.Data, "zhengwu.db")
}

// DocumentFontRoles are the typefaces --document-fonts may name.
var DocumentFontRoles = []string{"xiaobiaosong", "hei", "kai", "fangsong", "song"}

// Targets a process can run.
var knownTargets = []string{"all", "cms", "officeapi", "gateway", "search"}

// Option is one row of the table.
type Option struct {
	Flag    string
	Default string
	Usage   string
	set     func(*Config, string) error
}

// Env is the option's environment variable.
func (o Option) Env() string {
	return "ZHENGWU_" + strings.ToUpper(strings.ReplaceAll(o.Flag, "-", "_"))
}

// Options is the table, in the order the README lists it.
var Options = []Option{
	{"addr", "127.0.0.1:8080", "address to listen on (host:port)", stringSetter(hostPort, func(c *Config, v string) { c.Addr = v })},
	{"data", "./data", "directory for the embedded database and the search indexes", stringSetter(nonEmpty, func(c *Config, v string) { c.Data = v })},
	{"mongodb-uri", "", "MongoDB connection string; empty = the embedded SQLite store", stringSetter(emptyOr(mongoURI), func(c *Config, v string) { c.MongoURI = v })},
	{"mongodb-database", "zhengwu", "MongoDB database name", stringSetter(nonEmpty, func(c *Config, v string) { c.MongoDatabase = v })},
	{"target", "all", "services to run: all, or a comma list of cms, officeapi, gateway, search", func(c *Config, v string) error {
		c.Targets = nil
		for _, t := range strings.Split(v, ",") {
			t = strings.TrimSpace(t)
			if !contains(knownTargets, t) {
				return fmt.Errorf("unknown target %q (want %s)", t, strings.Join(knownTargets, ", "))
			}
			c.Targets = append(c.Targets, t)
		}
		return nil
	}},
	{"demo", "false", "seed demo organisation, users and content (idempotent)", boolSetter(func(c *Config, b bool) { c.Demo = b })},
	{"log-level", "info", "debug, info, warn or error", func(c *Config, v string) error {
		return c.LogLevel.UnmarshalText([]byte(v))
	}},
	{"log-format", "text", "text or json", stringSetter(logFormat, func(c *Config, v string) { c.LogFormat = v })},
	{"cors-origins", "", "comma list of origins allowed to call the APIs from a browser; empty = same origin only", func(c *Config, v string) error {
		c.CORSOrigins = nil
		for _, o := range strings.Split(v, ",") {
			if o = strings.TrimSpace(o); o != "" {
				if !strings.HasPrefix(o, "http://") && !strings.HasPrefix(o, "https://") {
					return fmt.Errorf("origin %q must start with http:// or https://", o)
				}
				c.CORSOrigins = append(c.CORSOrigins, o)
			}
		}
		return nil
	}},
	{"body-limit", "1048576", "largest request body in bytes", intSetter(1024, 1<<30, func(c *Config, n int) { c.BodyLimit = n })},
	{"upload-limit", "52428800", "largest uploaded file in bytes (attachments, images, video)", intSetter(1024, 1<<32, func(c *Config, n int) { c.UploadLimit = n })},
	{"media-dir", "", "directory for uploaded files; empty = in the database (chunked documents)", stringSetter(noControl, func(c *Config, v string) { c.MediaDir = v })},
	{"rate-limit", "1200", "requests per minute from one client address; 0 = unlimited", intSetter(0, 1<<30, func(c *Config, n int) { c.RateLimit = n })},
	{"trusted-proxies", "", "comma list of the reverse proxies (IP addresses or CIDR ranges) whose X-Forwarded-For names the client, for the rate limit, the login lockout and the audit trail; empty = none: the client is the connection's address (behind a proxy, name it, or every request comes from the proxy)", func(c *Config, v string) error {
		c.TrustedProxies = nil
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p == "" {
				continue
			}
			if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
				return fmt.Errorf("%q: want an IP address or a CIDR range such as 172.28.0.10 or 10.1.0.0/16", p)
			}
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
		return nil
	}},
	{"lockout-attempts", "5", "failed logins that lock an account", intSetter(1, 100, func(c *Config, n int) { c.LockoutAttempts = n })},
	{"lockout-window", "15m", "window in which failed logins are counted", durationSetter(func(c *Config, d time.Duration) { c.LockoutWindow = d })},
	{"lockout-duration", "15m", "how long a locked account stays locked", durationSetter(func(c *Config, d time.Duration) { c.LockoutDuration = d })},
	{"session-idle", "30m", "a session unused for this long must log in again", durationSetter(func(c *Config, d time.Duration) { c.SessionIdle = d })},
	{"session-max", "12h", "a session ends this long after login, used or not", durationSetter(func(c *Config, d time.Duration) { c.SessionMax = d })},
	{"password-max-age", "90d", "a password older than this may log in only to be changed (days such as 90d, or a duration; 0 = never expires)", func(c *Config, v string) error {
		d, err := parseDays(v)
		if err != nil {
			return err
		}
		c.PasswordMaxAge = d
		return nil
	}},
	{"password-history", "5", "a new password may not repeat any of this many last passwords (the current one among them)", intSetter(1, 24, func(c *Config, n int) { c.PasswordHistory = n })},
	{"max-classification", "机密", "the highest 密级 this deployment may hold (非密, 秘密, 机密 or 绝密): anything above it is refused", func(c *Config, v string) error {
		l := classification.Level(v)
		if !l.Valid() {
			return fmt.Errorf("want one of %s", strings.Join(classification.Names(classification.All), ", "))
		}
		c.MaxClassification = l
		return nil
	}},
	{"mail-max-classification", "秘密", "the highest 密级 internal mail may carry (非密, 秘密, 机密 or 绝密; default 秘密): 机密 and 绝密 matters go as 公文, which are registered, numbered and tracked copy by copy, none of which a mail is", func(c *Config, v string) error {
		l := classification.Level(v)
		if !l.Valid() {
			return fmt.Errorf("want one of %s", strings.Join(classification.Names(classification.All), ", "))
		}
		c.MailMaxClassification = l
		return nil
	}},
	{"mail-quota", "2147483648", "bytes one mailbox may hold (each copy of a mail counts in its holder's mailbox: subject, body and attachments); a send that would take the sender's or a recipient's mailbox over it is refused, saying the usage", intSetter(1<<20, 1<<40, func(c *Config, n int) { c.MailQuota = int64(n) })},
	{"document-fonts", "", "font files for the GB/T 9704 PDF of a 公文, as typeface=file[#face] pairs separated by commas (typefaces: xiaobiaosong 小标宋, hei 黑体, kai 楷体, fangsong 仿宋, song 宋体), e.g. xiaobiaosong=/opt/fonts/FZXBSJW.TTF,fangsong=/opt/fonts/fangsong_GB2312.ttf; empty = the Debian stand-ins", func(c *Config, v string) error {
		c.DocumentFonts = nil
		for _, pair := range strings.Split(v, ",") {
			if pair = strings.TrimSpace(pair); pair == "" {
				continue
			}
			role, file, ok := strings.Cut(pair, "=")
			if !ok || !slices.Contains(DocumentFontRoles, role) {
				return fmt.Errorf("%q: want typeface=file with a typeface of %s", pair, strings.Join(DocumentFontRoles, ", "))
			}
			if file = strings.TrimSpace(file); file == "" || noControl(file) != nil {
				return fmt.Errorf("%q: no file, or control characters in it", pair)
			}
			if c.DocumentFonts == nil {
				c.DocumentFonts = map[string]string{}
			}
			c.DocumentFonts[role] = file
		}
		return nil
	}},
	{"reminder-interval", "1m", "time between the reminder scheduler's passes over open workflow tasks (overdue reminders and escalations; one process sends, under a lease)", durationSetter(func(c *Config, d time.Duration) { c.ReminderInterval = d })},
	{"fixity-interval", "24h", "time between the archive's scheduled fixity checks (the SHA-256 of every part of every archived record re-read and compared; one process checks, under a lease)", durationSetter(func(c *Config, d time.Duration) { c.FixityInterval = d })},
	{"search-reconcile-interval", "10m", "time between the search indexes' reconciliations with the store (each reads every indexed collection and repairs what the index has wrong, logging a warning when it repairs anything)", func(c *Config, v string) error {
		// Each pass reads every indexed collection and the whole index:
		// back to back they would be a load of their own.
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute {
			return fmt.Errorf("want a duration of at least 1m, such as 10m")
		}
		c.SearchReconcileInterval = d
		return nil
	}},
	{"search-release-interval", "30s", "how often the search indexes' file pages mapped into the process are released (they stay in the system's page cache while it keeps them: a search maps again what it reads, from the cache if it is there, else from disk); between two releases the process holds what searches read since, not everything ever read. This lowers the process's RSS and PSS, not the page cache a container's memory limit also counts; 0 = never", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || (d != 0 && d < time.Second) {
			return fmt.Errorf("want 0 (never) or a duration of at least 1s, such as 30s")
		}
		c.SearchReleaseInterval = d
		return nil
	}},
	{"ffmpeg", "", "ffmpeg program for video posters and durations, ffprobe beside it (run with a timeout on a temporary copy of the stored file); empty = ffmpeg on PATH; when absent or not runnable, videos get a drawn placeholder poster and an unknown duration", stringSetter(noControl, func(c *Config, v string) { c.FFmpeg = v })},
	{"notification-retention", "2160h", "how long a read notification (消息提醒) is kept before the hourly sweep deletes it (default 90 days; unread ones are kept; one process sweeps, under a lease)", durationSetter(func(c *Config, d time.Duration) { c.NotificationRetention = d })},
	{"search-log-retention", "4320h", "how long the search log (搜索分析: query, scope, result count, page, time; no identity) keeps a search before the hourly sweep deletes it (default 180 days; one process sweeps, under a lease)", durationSetter(func(c *Config, d time.Duration) { c.SearchLogRetention = d })},
	{"metrics-addr", "", "address of Prometheus /metrics (host:port), apart from the public address; e.g. 127.0.0.1:9090; empty = no metrics", stringSetter(emptyOr(hostPort), func(c *Config, v string) { c.MetricsAddr = v })},
	{"pprof", "false", "serve Go's profiles (net/http/pprof, /debug/pprof/) on --metrics-addr beside /metrics, for finding what holds memory or CPU; internal only (a heap profile shows code paths and traces of the data in memory); needs --metrics-addr", boolSetter(func(c *Config, b bool) { c.Profiling = b })},
	{"memory-limit", "0", "soft limit of the Go runtime's memory (heap, stacks, its own structures; not SQLite's cache or the mapped index files), such as 400MiB or 1GiB: the collector works harder as the heap nears it instead of letting it grow to twice the live data; 0 = GOMEMLIMIT if set, else none", func(c *Config, v string) error {
		n, err := parseBytes(v)
		if err != nil {
			return err
		}
		if n != 0 && n < 64<<20 {
			return errors.New("want 0 or at least 64MiB")
		}
		c.MemoryLimit = n
		return nil
	}},
	{"memory-governor", "true", "after the start's catch-up, keep the Go runtime's soft memory limit at the live heap plus a headroom sized by the allocation rate (32 MiB when quiet, up to the live heap when busy, as without a limit), following it as it moves and lifted while bulk work runs (an index catching up thousands of changes, a merge): the process then holds neither the collector's garbage nor idle heap; off when --memory-limit or GOMEMLIMIT is set (the operator's limit wins)", boolSetter(func(c *Config, b bool) { c.MemoryGovernor = b })},
	{"otlp-endpoint", "", "OpenTelemetry collector for traces, an OTLP/HTTP URL such as http://otel-collector:4318 (spans of HTTP requests, store calls, index searches and feed steps; no document contents, query text or tokens); empty = tracing off: no exporter, no spans", stringSetter(emptyOr(tracing.CheckEndpoint), func(c *Config, v string) { c.OTLPEndpoint = v })},
	{"trace-sample", "0.1", "share of new traces kept when --otlp-endpoint is set, from 0 to 1 (a request whose traceparent says sampled is always kept)", func(c *Config, v string) error {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 || f > 1 {
			return errors.New("want a number from 0 to 1, such as 0.1")
		}
		c.TraceSample = f
		return nil
	}},
	{"lease-ttl", "15s", "how long a singleton's lease (the gateway, the schedulers, the sweeps, the fixity check) holds without a renewal; a standby process takes over within TTL + TTL/3 of the holder's death; at least 1s", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			return fmt.Errorf("want a duration of at least 1s, such as 15s")
		}
		c.LeaseTTL = d
		return nil
	}},
	{"sqlite-file", "", "the embedded store's SQLite file; empty = <data>/zhengwu.db. Processes on one machine may share one file (WAL; SQLite serialises the writers), each with its own --data for its indexes", stringSetter(noControl, func(c *Config, v string) { c.SQLiteFile = v })},
	{"key-file", "", "file holding the master key that encrypts the signing keys at rest (32 random bytes in base64 or hex, mode 0600 or 0400); empty = ZHENGWU_MASTER_KEY, else <data>/master.key, made on first start", stringSetter(noControl, func(c *Config, v string) { c.KeyFile = v })},
}

// Secret is a setting taken from the environment only: on the command
// line `ps` would show it. Its value never appears in an error.
type Secret struct {
	Env   string
	Usage string
	set   func(*Config, string) error
}

// Secrets is the table of environment-only settings.
var Secrets = []Secret{
	{kek.EnvVar, "the master key itself (32 random bytes in base64 or hex), instead of --key-file", func(c *Config, v string) error {
		k, err := kek.Parse(v)
		if err != nil {
			return err
		}
		c.MasterKey = k
		return nil
	}},
}

// Parse reads args (flags) over env (a lookup such as os.Getenv) over the
// defaults. Every variable may be given as a file instead (Lookup:
// ZHENGWU_<NAME>_FILE), as Docker secrets are.
func Parse(args []string, env func(string) string, errOut io.Writer) (Config, error) {
	var c Config
	for _, o := range Options {
		if err := o.set(&c, o.Default); err != nil {
			panic(fmt.Sprintf("config: bad default for %s: %v", o.Flag, err)) // a programming error
		}
	}
	for _, o := range Options {
		v, err := Lookup(env, o.Env())
		if err != nil {
			return c, err
		}
		if v == "" {
			continue
		}
		if err := o.set(&c, v); err != nil {
			// A value from a file is a secret's (a MongoDB URI with its
			// password): name the file, not the value.
			if env(o.Env()+FileSuffix) != "" {
				return c, fmt.Errorf("%s (from %s): %v", o.Env(), env(o.Env()+FileSuffix), err)
			}
			return c, fmt.Errorf("%s=%q: %v", o.Env(), v, err)
		}
	}
	for _, sec := range Secrets {
		v, err := Lookup(env, sec.Env)
		if err != nil {
			return c, err
		}
		if v != "" {
			if err := sec.set(&c, v); err != nil {
				return c, fmt.Errorf("%s: %v", sec.Env, err)
			}
		}
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(errOut)
	for _, o := range Options {
		o := o
		fs.Func(o.Flag, fmt.Sprintf("%s (env %s, default %q)", o.Usage, o.Env(), o.Default), func(v string) error {
			return o.set(&c, v)
		})
	}
	// Boolean flags may be given bare (--demo).
	args = expandBareBools(args)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if c.KeyFile != "" && !c.MasterKey.IsZero() {
		return c, fmt.Errorf("give either --key-file or %s, not both", kek.EnvVar)
	}
	return c, nil
}

// Runs reports whether the config runs the named service.
func (c Config) Runs(target string) bool {
	return contains(c.Targets, "all") || contains(c.Targets, target)
}

func expandBareBools(args []string) []string {
	out := make([]string, 0, len(args))
	for _, a := range args {
		name := strings.TrimLeft(a, "-")
		if strings.HasPrefix(a, "-") && !strings.Contains(name, "=") && isBool(name) {
			a = "--" + name + "=true"
		}
		out = append(out, a)
	}
	return out
}

func isBool(name string) bool { return name == "demo" || name == "pprof" }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func boolSetter(set func(*Config, bool)) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("want true or false")
		}
		set(c, b)
		return nil
	}
}

// stringSetter keeps the value as given once check accepts it.
func stringSetter(check func(string) error, set func(*Config, string)) func(*Config, string) error {
	return func(c *Config, v string) error {
		if err := check(v); err != nil {
			return err
		}
		set(c, v)
		return nil
	}
}

// The checks of string options (stringSetter).

func hostPort(v string) error {
	if !strings.Contains(v, ":") {
		return errors.New("want host:port")
	}
	return nil
}

func nonEmpty(v string) error {
	if v == "" {
		return errors.New("must not be empty")
	}
	return nil
}

func mongoURI(v string) error {
	if !strings.HasPrefix(v, "mongodb://") && !strings.HasPrefix(v, "mongodb+srv://") {
		return errors.New("want a mongodb:// or mongodb+srv:// URI")
	}
	return nil
}

func logFormat(v string) error {
	if v != "text" && v != "json" {
		return errors.New("want text or json")
	}
	return nil
}

// noControl refuses control characters (in a path, say).
func noControl(v string) error {
	if strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 }) {
		return errors.New("must not contain control characters")
	}
	return nil
}

// emptyOr lets the empty value through (the option's "none") and checks
// any other with check.
func emptyOr(check func(string) error) func(string) error {
	return func(v string) error {
		if v == "" {
			return nil
		}
		return check(v)
	}
}

// parseBytes reads a size: a number of bytes, or one with a binary suffix
// (KiB, MiB, GiB), as GOMEMLIMIT writes it.
func parseBytes(v string) (int64, error) {
	bad := errors.New("want a size such as 400MiB, 1GiB or a number of bytes")
	unit := int64(1)
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}} {
		if strings.HasSuffix(v, u.suffix) {
			v, unit = strings.TrimSuffix(v, u.suffix), u.n
			break
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > (1<<50)/unit {
		return 0, bad
	}
	return n * unit, nil
}

func intSetter(min, max int, set func(*Config, int)) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < min || n > max {
			return fmt.Errorf("want an integer from %d to %d", min, max)
		}
		set(c, n)
		return nil
	}
}

func durationSetter(set func(*Config, time.Duration)) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("want a positive duration such as 15m")
		}
		set(c, d)
		return nil
	}
}

// parseDays reads "90d" (whole days), a Go duration ("2160h"), or "0".
func parseDays(v string) (time.Duration, error) {
	if v == "0" {
		return 0, nil
	}
	if n, ok := strings.CutSuffix(v, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 1 || days > 3650 {
			return 0, fmt.Errorf("want a number of days from 1 to 3650, such as 90d")
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("want days such as 90d, a duration such as 2160h, or 0")
	}
	return d, nil
}

// Table renders the options as a Markdown table (for the README).
func Table() string {
	var b strings.Builder
	b.WriteString("| flag | environment | default | meaning |\n|---|---|---|---|\n")
	for _, o := range Options {
		fmt.Fprintf(&b, "| `--%s` | `%s` | `%s` | %s |\n", o.Flag, o.Env(), o.Default, o.Usage)
	}
	for _, s := range Secrets {
		fmt.Fprintf(&b, "| (none: environment only) | `%s` | `` | %s |\n", s.Env, s.Usage)
	}
	return b.String()
}
