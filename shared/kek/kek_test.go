package kek_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"zhengwu/shared/kek"
)

func TestParse(t *testing.T) {
	raw := bytes.Repeat([]byte{0xa7}, kek.Size)
	want, err := kek.New(raw)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{
		hex.EncodeToString(raw), strings.ToUpper(hex.EncodeToString(raw)),
		base64.StdEncoding.EncodeToString(raw), base64.RawURLEncoding.EncodeToString(raw),
		"  " + base64.StdEncoding.EncodeToString(raw) + "\n",
	} {
		k, err := kek.Parse(text)
		if err != nil || !k.Equal(want) {
			t.Errorf("%q: %v %v", text, k, err)
		}
	}
	secret := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 16))
	for _, text := range []string{"", "short", secret, hex.EncodeToString(make([]byte, kek.Size)), hex.EncodeToString(raw) + "00"} {
		_, err := kek.Parse(text)
		if err == nil {
			t.Errorf("%q accepted", text)
		} else if text != "" && strings.Contains(err.Error(), text) {
			t.Errorf("the error repeats the key: %v", err)
		}
	}
	if s := fmt.Sprintf("%v %+v %#v %s", want, want, want, want); strings.Contains(s, hex.EncodeToString(raw)[:8]) ||
		strings.Contains(s, "167") || !strings.Contains(s, want.ID()) {
		t.Errorf("a printed key shows its bytes: %s", s)
	}
}

func TestSealOpen(t *testing.T) {
	k, _ := kek.Generate()
	other, _ := kek.Generate()
	secret := []byte("ed25519 seed of 32 bytes........")
	s, err := k.Seal(secret, []byte("jwt-keys/a"))
	if err != nil {
		t.Fatal(err)
	}
	if s.KEK != k.ID() || s.Alg != "A256GCM" || strings.Contains(s.Data, base64.StdEncoding.EncodeToString(secret)[:10]) {
		t.Fatalf("sealed: %+v", s)
	}
	if got, err := k.Open(s, []byte("jwt-keys/a")); err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := other.Open(s, []byte("jwt-keys/a")); !errors.Is(err, kek.ErrWrongKey) {
		t.Errorf("wrong key: %v", err)
	}
	if _, err := k.Open(s, []byte("jwt-keys/b")); err == nil {
		t.Error("opened with other additional data (a value moved to another key id)")
	}
	tampered := s
	d, _ := base64.StdEncoding.DecodeString(s.Data)
	d[0] ^= 1
	tampered.Data = base64.StdEncoding.EncodeToString(d)
	if _, err := k.Open(tampered, []byte("jwt-keys/a")); err == nil {
		t.Error("opened a tampered value")
	}
	s2, _ := k.Seal(secret, []byte("jwt-keys/a"))
	if s2.Nonce == s.Nonce || s2.Data == s.Data {
		t.Error("two seals of the same secret are equal: the nonce is not fresh")
	}
	if _, err := (kek.Key{}).Seal(secret, nil); err == nil {
		t.Error("sealed with no key")
	}
}

func TestKeyFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "master.key")
	k, err := kek.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	dst, _ := os.Stat(filepath.Dir(path))
	if st.Mode().Perm() != 0o600 || dst.Mode().Perm() != 0o700 {
		t.Fatalf("modes: file %04o, folder %04o", st.Mode().Perm(), dst.Mode().Perm())
	}
	if got, err := kek.ReadFile(path); err != nil || !got.Equal(k) {
		t.Fatalf("read back: %v %v", got, err)
	}
	if _, err := kek.Create(path); !errors.Is(err, os.ErrExist) {
		t.Fatalf("Create overwrote a key file: %v", err)
	}
	for _, mode := range []os.FileMode{0o400, 0o600} {
		_ = os.Chmod(path, mode)
		if _, err := kek.ReadFile(path); err != nil {
			t.Errorf("mode %04o refused: %v", mode, err)
		}
	}
	for _, mode := range []os.FileMode{0o640, 0o604, 0o644, 0o660} {
		_ = os.Chmod(path, mode)
		if _, err := kek.ReadFile(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("mode %04o accepted: %v", mode, err)
		}
	}
	if _, err := kek.ReadFile(dir); err == nil {
		t.Error("a folder accepted as a key file")
	}
	hexFile := filepath.Join(dir, "hex.key")
	_ = os.WriteFile(hexFile, []byte(hex.EncodeToString(bytes.Repeat([]byte{9}, 32))+"\n"), 0o400)
	if _, err := kek.ReadFile(hexFile); err != nil {
		t.Errorf("hex key file: %v", err)
	}
}

func TestResolve(t *testing.T) {
	env, _ := kek.Generate()
	data := t.TempDir()
	keyFile := filepath.Join(t.TempDir(), "k")
	fileKey, _ := kek.Create(keyFile)
	if k, src, err := kek.Resolve(env, "", data); err != nil || !k.Equal(env) || src != kek.FromEnv {
		t.Errorf("env: %v %s %v", k, src, err)
	}
	if _, _, err := kek.Resolve(env, "/some/file", data); err == nil {
		t.Error("both the environment and a key file accepted")
	}
	if k, src, err := kek.Resolve(kek.Key{}, keyFile, data); err != nil || !k.Equal(fileKey) || src != kek.FromFile {
		t.Errorf("key file: %v %s %v", k, src, err)
	}
	_ = os.Chmod(keyFile, 0o644)
	if _, _, err := kek.Resolve(kek.Key{}, keyFile, data); err == nil {
		t.Error("a world-readable key file accepted")
	}
	// The default file is made once, then read.
	first, src, err := kek.Resolve(kek.Key{}, "", data)
	if err != nil || src != kek.CreatedDefault {
		t.Fatalf("first start: %s %v", src, err)
	}
	again, src, err := kek.Resolve(kek.Key{}, "", data)
	if err != nil || src != kek.FromDefault || !again.Equal(first) {
		t.Fatalf("second start: %s %v", src, err)
	}
}

// Processes starting together on a fresh data folder agree on one key.
func TestResolveConcurrentFirstStarts(t *testing.T) {
	data := t.TempDir()
	keys := make([]kek.Key, 8)
	errs := make([]error, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() { keys[i], _, errs[i] = kek.Resolve(kek.Key{}, "", data) })
	}
	wg.Wait()
	for i := range keys {
		if errs[i] != nil || !keys[i].Equal(keys[0]) {
			t.Fatalf("start %d: %v %v (first: %v)", i, keys[i], errs[i], keys[0])
		}
	}
	if left, _ := filepath.Glob(filepath.Join(data, ".master-key-*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}
