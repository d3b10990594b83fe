package config

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func envMap(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func secretFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(p, []byte(content), 0o400); err != nil {
		t.Fatal(err)
	}
	return p
}

// A setting given as ZHENGWU_<NAME>_FILE is read from the file, as Docker
// secrets are mounted: an option (the MongoDB URI with its password), an
// environment-only secret (the master key), and a setting read outside
// the table (the demo password), one trailing line break trimmed.
func TestFileVariants(t *testing.T) {
	uri := "mongodb://zhengwu:p%40ss@mongo1,mongo2,mongo3/?replicaSet=rs0"
	key := strings.Repeat("ab", 32) // 32 bytes in hex
	env := envMap(map[string]string{
		"ZHENGWU_MONGODB_URI_FILE":      secretFile(t, uri+"\n"),
		"ZHENGWU_MASTER_KEY_FILE":       secretFile(t, key+"\r\n"),
		"ZHENGWU_DEMO_PASSWORD_FILE":    secretFile(t, "Zw-Demo-2026!\n"),
		"ZHENGWU_TARGET":                "cms",
		"ZHENGWU_MONGODB_DATABASE_FILE": secretFile(t, "gov"),
	})
	c, err := Parse(nil, env, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.MongoURI != uri || c.MongoDatabase != "gov" || c.MasterKey.IsZero() || len(c.Targets) != 1 || c.Targets[0] != "cms" {
		t.Fatalf("parsed %q %q key zero %v %v", c.MongoURI, c.MongoDatabase, c.MasterKey.IsZero(), c.Targets)
	}
	if pw, err := Lookup(env, "ZHENGWU_DEMO_PASSWORD"); err != nil || pw != "Zw-Demo-2026!" {
		t.Fatalf("demo password %q, %v", pw, err)
	}
	// A flag still beats the file.
	if c, err := Parse([]string{"--mongodb-uri", "mongodb://other/"}, env, io.Discard); err != nil || c.MongoURI != "mongodb://other/" {
		t.Fatalf("flag over file: %q %v", c.MongoURI, err)
	}
	// ZHENGWU_KEY_FILE is the --key-file option itself (a path), not the
	// file form of a ZHENGWU_KEY.
	if c, err := Parse(nil, envMap(map[string]string{"ZHENGWU_KEY_FILE": "/run/secrets/master_key"}), io.Discard); err != nil || c.KeyFile != "/run/secrets/master_key" {
		t.Fatalf("key-file: %q %v", c.KeyFile, err)
	}
}

// Both forms, an unreadable or empty file, and a bad value from a file are
// refused; the error names the variable and the file, never the contents.
func TestFileVariantsRefused(t *testing.T) {
	badURI := "postgres://zhengwu:TopSecret@db/"
	for name, env := range map[string]map[string]string{
		"both":       {"ZHENGWU_MONGODB_URI": "mongodb://a/", "ZHENGWU_MONGODB_URI_FILE": secretFile(t, "mongodb://b/")},
		"missing":    {"ZHENGWU_MONGODB_URI_FILE": filepath.Join(t.TempDir(), "absent")},
		"empty":      {"ZHENGWU_MONGODB_URI_FILE": secretFile(t, "\n")},
		"bad value":  {"ZHENGWU_MONGODB_URI_FILE": secretFile(t, badURI)},
		"bad secret": {"ZHENGWU_MASTER_KEY_FILE": secretFile(t, "TopSecret")},
	} {
		_, err := Parse(nil, envMap(env), io.Discard)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if !strings.Contains(err.Error(), "_FILE") && !strings.Contains(err.Error(), "ZHENGWU_") {
			t.Errorf("%s: %v names no variable", name, err)
		}
		if strings.Contains(err.Error(), "TopSecret") {
			t.Errorf("%s: the error shows the secret: %v", name, err)
		}
	}
}
