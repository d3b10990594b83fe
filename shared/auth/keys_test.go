package auth

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"zhengwu/shared/kek"
	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
)

// storedDoc reads the keys document as it is in the database.
func storedDoc(t *testing.T, st store.Store) ([]byte, storedKeys) {
	t.Helper()
	doc, err := st.Get(context.Background(), keysCollection, keysID)
	if err != nil {
		t.Fatal(err)
	}
	var sks storedKeys
	if err := doc.Decode(&sks); err != nil {
		t.Fatal(err)
	}
	return doc.Data, sks
}

// holdsNoSeed fails if the raw document contains a seed in any encoding.
func holdsNoSeed(t *testing.T, raw []byte, seeds ...[]byte) {
	t.Helper()
	for _, sd := range seeds {
		for _, enc := range []string{string(sd), base64.StdEncoding.EncodeToString(sd), base64.RawURLEncoding.EncodeToString(sd),
			hex.EncodeToString(sd), base64.StdEncoding.EncodeToString(sd)[:20]} {
			if bytes.Contains(raw, []byte(enc)) {
				t.Fatalf("the stored document holds a signing seed (%q): %s", enc, raw)
			}
		}
	}
}

// seedsOf opens every stored seed with master (the test knows the key).
func seedsOf(t *testing.T, sks storedKeys, master kek.Key) [][]byte {
	t.Helper()
	var out [][]byte
	for _, k := range sks.Keys {
		if k.Private != "" || k.Sealed == nil || k.Sealed.KEK != master.ID() || k.Sealed.Alg != kek.Alg {
			t.Fatalf("key %s is not sealed with master key %s: %+v", k.Kid, master.ID(), k)
		}
		sd, err := master.Open(*k.Sealed, keyAAD(k.Kid))
		if err != nil || len(sd) != ed25519.SeedSize {
			t.Fatalf("key %s does not open: %v", k.Kid, err)
		}
		out = append(out, sd)
	}
	return out
}

// freshKeys are the signing keys made on a fresh store, sealed under a
// new master key.
func freshKeys(t *testing.T) (store.Store, kek.Key, *KeySet) {
	t.Helper()
	st := storetest.NewSQLite(t)
	master := kek.MustGenerate()
	ks, err := LoadKeys(context.Background(), st, master)
	if err != nil {
		t.Fatal(err)
	}
	return st, master, ks
}

func TestSigningKeysAreEncryptedAtRest(t *testing.T) {
	ctx := context.Background()
	st, master, ks := freshKeys(t)
	raw, sks := storedDoc(t, st)
	if strings.Contains(string(raw), `"private"`) {
		t.Fatalf("plain-text key stored: %s", raw)
	}
	seeds := seedsOf(t, sks, master)
	holdsNoSeed(t, raw, seeds...)
	// The sealed seed is the signing key.
	if !ed25519.NewKeyFromSeed(seeds[0]).Equal(ks.signing) {
		t.Fatal("the sealed seed is not the signing key")
	}
	// A second start reads the same key.
	again, err := LoadKeys(ctx, st, master)
	if err != nil || again.kid != ks.kid {
		t.Fatalf("restart: %v %v", again, err)
	}
}

// A store from before encryption at rest holds the seed in plain text: the
// first start encrypts it in place, keeping the key (tokens it signed
// still verify).
func TestPlainTextKeysAreEncryptedInPlace(t *testing.T) {
	ctx := context.Background()
	st := storetest.NewSQLite(t)
	_, priv, _ := ed25519.GenerateKey(nil)
	legacy := `{"current":"old1","keys":[{"kid":"old1","private":"` + base64.StdEncoding.EncodeToString(priv.Seed()) +
		`","created":"2025-01-01T00:00:00Z"}]}`
	if _, err := st.Put(ctx, keysCollection, keysID, []byte(legacy), 0); err != nil {
		t.Fatal(err)
	}
	master := kek.MustGenerate()
	ks, err := LoadKeys(ctx, st, master)
	if err != nil {
		t.Fatal(err)
	}
	if ks.Migrated() != 1 || ks.kid != "old1" || !ks.signing.Equal(priv) {
		t.Fatalf("migration: migrated %d, kid %s", ks.Migrated(), ks.kid)
	}
	raw, sks := storedDoc(t, st)
	seedsOf(t, sks, master)
	holdsNoSeed(t, raw, priv.Seed())
	if again, err := LoadKeys(ctx, st, master); err != nil || again.Migrated() != 0 || !again.signing.Equal(priv) {
		t.Fatalf("second start: %v, migrated again: %v", err, again)
	}
}

func TestWrongMasterKeyFailsLoudly(t *testing.T) {
	ctx := context.Background()
	st := storetest.NewSQLite(t)
	right, wrong := kek.MustGenerate(), kek.MustGenerate()
	if _, err := LoadKeys(ctx, st, right); err != nil {
		t.Fatal(err)
	}
	_, err := LoadKeys(ctx, st, wrong)
	if err == nil || !strings.Contains(err.Error(), right.ID()) || !strings.Contains(err.Error(), wrong.ID()) ||
		!strings.Contains(err.Error(), "master key") {
		t.Fatalf("wrong master key: %v", err)
	}
	if _, err := LoadKeys(ctx, st, kek.Key{}); err == nil {
		t.Fatal("loaded without a master key")
	}
	// A sealed seed moved under another kid does not open.
	raw, sks := storedDoc(t, st)
	sks.Keys = append(sks.Keys, storedKey{Kid: "copy", Sealed: sks.Keys[0].Sealed, Created: time.Now()})
	data, _ := json.Marshal(sks)
	doc, _ := st.Get(ctx, keysCollection, keysID)
	if _, err := st.Put(ctx, keysCollection, keysID, data, doc.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKeys(ctx, st, right); err == nil {
		t.Fatalf("a seed copied under another kid opened: %s", raw)
	}
}

// RotateKeys makes a new signing key: tokens of the old one still verify,
// running processes sign with the new one within KeyRefreshInterval and
// verify its tokens at once; keys retired longer than KeyRetention go.
func TestRotateKeys(t *testing.T) {
	ctx := context.Background()
	st, master, ks := freshKeys(t)
	// The test moves the servers' clock (every call to it is on this
	// goroutine: nothing runs in the background here).
	at := time.Now()
	now := func() time.Time { return at }
	running := NewTokens(ks, now) // a server started before the rotation
	before, _, _ := running.Issue(alice, "before")

	kid, err := RotateKeys(ctx, st, master, at)
	if err != nil || kid == ks.kid {
		t.Fatalf("rotate: %q %v", kid, err)
	}
	fresh, err := LoadKeys(ctx, st, master) // a server started after it
	if err != nil || fresh.kid != kid {
		t.Fatalf("after the rotation the current key is %v (%v), want %s", fresh, err, kid)
	}
	restarted := NewTokens(fresh, now)
	after, _, _ := restarted.Issue(alice, "after")
	if _, err := restarted.Verify(before); err != nil {
		t.Fatalf("a token of the retired key: %v", err)
	}
	if _, err := running.Verify(after); err != nil {
		t.Fatalf("the running server refuses a token of the new key: %v", err)
	}
	raw, sks := storedDoc(t, st)
	holdsNoSeed(t, raw, seedsOf(t, sks, master)...)
	if len(sks.Keys) != 2 || sks.Keys[0].Retired == nil || sks.Keys[1].Retired != nil {
		t.Fatalf("keys after the rotation: %s", raw)
	}
	at = at.Add(KeyRefreshInterval)
	if s, _, _ := running.Issue(alice, "later"); kidOf(t, s) != kid {
		t.Fatalf("the running server still signs with %s after %s", kidOf(t, s), KeyRefreshInterval)
	}

	// A day later two more rotations: the first key goes, the second stays
	// until it has been retired for KeyRetention.
	at = at.Add(KeyRetention)
	if _, err := RotateKeys(ctx, st, master, at); err != nil {
		t.Fatal(err)
	}
	_, sks = storedDoc(t, st)
	if len(sks.Keys) != 2 || sks.Keys[0].Kid != kid {
		t.Fatalf("after retention: %+v", sks.Keys)
	}
}

func kidOf(t *testing.T, token string) string {
	t.Helper()
	head, _, _ := strings.Cut(token, ".")
	data, _ := base64.RawURLEncoding.DecodeString(head)
	var h struct{ Kid string }
	_ = json.Unmarshal(data, &h)
	return h.Kid
}

// Reseal is the master key's rotation: afterwards only the new master key
// opens the keys, which are the same keys.
func TestResealUnderANewMasterKey(t *testing.T) {
	ctx := context.Background()
	st := storetest.NewSQLite(t)
	old, next := kek.MustGenerate(), kek.MustGenerate()
	ks, err := LoadKeys(ctx, st, old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := RotateKeys(ctx, st, old, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := Reseal(ctx, st, next, kek.MustGenerate()); err == nil {
		t.Fatal("resealed with a master key that does not open the keys")
	}
	n, err := Reseal(ctx, st, old, next)
	if err != nil || n != 2 {
		t.Fatalf("reseal: %d %v", n, err)
	}
	if _, err := LoadKeys(ctx, st, old); err == nil {
		t.Fatal("the old master key still opens the keys")
	}
	again, err := LoadKeys(ctx, st, next)
	if err != nil || again.public[ks.kid] == nil || !again.public[ks.kid].Equal(ks.public[ks.kid]) {
		t.Fatalf("under the new master key: %v", err)
	}
	raw, sks := storedDoc(t, st)
	holdsNoSeed(t, raw, seedsOf(t, sks, next)...)
	// A reseal that is run again (the operator is unsure it ran) is harmless.
	if _, err := Reseal(ctx, st, next, next); err != nil {
		t.Fatal(err)
	}
}
