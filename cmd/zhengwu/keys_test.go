package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zhengwu/shared/store/sqlitestore"
)

// storedKeys reads the signing keys document from a data folder's database.
func storedKeys(t *testing.T, dir string) (raw string, keys []map[string]any) {
	t.Helper()
	st, err := sqlitestore.Open(filepath.Join(dir, "zhengwu.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	doc, err := st.Get(context.Background(), "system", "jwt-keys")
	if err != nil {
		t.Fatal(err)
	}
	var v struct{ Keys []map[string]any }
	_ = json.Unmarshal(doc.Data, &v)
	return string(doc.Data), v.Keys
}

// The master key: made on first start (0600, in a 0700 data folder), the
// signing keys stored under it, rotation of both from the CLI, and a
// wrong or readable master key refused at start.
func TestMasterKeyAndKeyRotationFromTheCLI(t *testing.T) {
	dir := t.TempDir()
	data := "--data=" + dir
	if code, out, errOut := runCmd(t, "Anquan-Admin-1\n", nil, "admin", "create", data, "baomi", "secadmin"); code != 0 {
		t.Fatalf("admin create: %d %q %q", code, out, errOut)
	}
	def := filepath.Join(dir, "master.key")
	st, err := os.Stat(def)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("default master key: %v %v", st, err)
	}
	if dst, _ := os.Stat(dir); dst.Mode().Perm() != 0o700 {
		t.Fatalf("data folder mode %04o, want 0700", dst.Mode().Perm())
	}
	raw, keys := storedKeys(t, dir)
	if len(keys) != 1 || keys[0]["private"] != nil || keys[0]["sealed"] == nil {
		t.Fatalf("stored keys: %s", raw)
	}

	// A new signing key.
	code, out, errOut := runCmd(t, "", nil, "admin", "rotate-keys", data)
	if code != 0 || !strings.Contains(out, "new signing key") {
		t.Fatalf("rotate-keys: %d %q %q", code, out, errOut)
	}
	if _, keys = storedKeys(t, dir); len(keys) != 2 {
		t.Fatalf("after rotate-keys: %d keys", len(keys))
	}

	// A new master key, made in a file of its own.
	newKey := filepath.Join(t.TempDir(), "kek", "master.key")
	code, out, errOut = runCmd(t, "", nil, "admin", "rotate-keys", data, "--rotate-master-key", "--new-key-file", newKey)
	if code != 0 || !strings.Contains(out, "encrypted again") {
		t.Fatalf("rotate-keys --rotate-master-key: %d %q %q", code, out, errOut)
	}
	// The old master key no longer opens the keys: the start fails, saying why.
	code, _, errOut = runCmd(t, "", map[string]string{"ZHENGWU_ADMIN_PASSWORD": "Xin-Mima-2026"}, "admin", "reset-password", data, "baomi")
	if code != 1 || !strings.Contains(errOut, "master key") {
		t.Fatalf("start with the old master key: %d %q", code, errOut)
	}
	env := map[string]string{"ZHENGWU_ADMIN_PASSWORD": "Xin-Mima-2026", "ZHENGWU_KEY_FILE": newKey}
	if code, out, errOut := runCmd(t, "", env, "admin", "reset-password", data, "baomi"); code != 0 {
		t.Fatalf("start with the new master key: %d %q %q", code, out, errOut)
	}
	// A key file others may read is refused.
	_ = os.Chmod(newKey, 0o644)
	if code, _, errOut := runCmd(t, "", env, "admin", "reset-password", data, "baomi"); code != 1 || !strings.Contains(errOut, "chmod 600") {
		t.Fatalf("a world-readable key file: %d %q", code, errOut)
	}
	_ = os.Chmod(newKey, 0o400)
	code, out, _ = runCmd(t, "", nil, "audit", "verify", data, "--key-file="+newKey)
	if code != 0 {
		t.Fatalf("audit after the rotations: %s", out)
	}
}
