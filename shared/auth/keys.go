package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"zhengwu/shared/kek"
	"zhengwu/shared/store"
)

// Signing keys live in the store (collection "system", id "jwt-keys") so
// that every process of a deployment, whatever node it runs on, verifies
// with the same keys and one rotation reaches all of them. Their private
// halves are encrypted at rest with the deployment's master key (package
// kek), which is never in the store: a copy of the database alone cannot
// sign a token.
const (
	keysCollection = "system"
	keysID         = "jwt-keys"
)

// KeyRetention is how long a signing key retired by RotateKeys still
// verifies tokens. It is far longer than a token lives (AccessTokenTTL) so
// that a process that has not re-read the keys yet (KeyRefreshInterval)
// and still signs with the retired key is not cut off.
const KeyRetention = 24 * time.Hour

// KeyRefreshInterval is how often a process re-reads the keys, to sign
// with the key RotateKeys made current. A token signed with a key the
// process does not know yet makes it re-read them at once.
const KeyRefreshInterval = 5 * time.Minute

// storedKey is one key as stored: its seed sealed with the master key
// (kek.Sealed says which master key), bound to its kid.
type storedKey struct {
	Kid string `json:"kid"`
	// Private is the seed in plain base64, as stores from before
	// encryption at rest hold it; LoadKeys encrypts it in place.
	Private string      `json:"private,omitempty"`
	Sealed  *kek.Sealed `json:"sealed,omitempty"`
	Created time.Time   `json:"created"`
	// Retired is when RotateKeys replaced it as the signing key.
	Retired *time.Time `json:"retired,omitempty"`
}

type storedKeys struct {
	Current string      `json:"current"`
	Keys    []storedKey `json:"keys"`
}

// keyAAD binds a sealed seed to its kid: a sealed seed copied under
// another kid does not open.
func keyAAD(kid string) []byte { return []byte("zhengwu/jwt-keys/" + kid) }

// KeySet is the current signing key and every key still accepted.
type KeySet struct {
	kid     string
	signing ed25519.PrivateKey
	public  map[string]ed25519.PublicKey
	// migrated counts the plain-text keys LoadKeys encrypted.
	migrated int
	// reload reads the set again (nil for an in-memory set).
	reload func(context.Context) (*KeySet, error)
}

// Migrated is the number of plain-text keys (a store from before
// encryption at rest) that LoadKeys encrypted with the master key.
func (ks *KeySet) Migrated() int { return ks.migrated }

// CurrentKid is the id of the signing key.
func (ks *KeySet) CurrentKid() string { return ks.kid }

// LoadKeys reads the deployment's keys from the store with the master key
// master, creating the first key if there is none and encrypting keys
// stored in plain text by an earlier version. Concurrent first starts
// agree through the store's compare-and-set. A master key other than the
// one the keys were encrypted with is an error that says so.
func LoadKeys(ctx context.Context, s store.Store, master kek.Key) (*KeySet, error) {
	if master.IsZero() {
		return nil, errors.New("auth: no master key to decrypt the signing keys with")
	}
	var ks *KeySet
	// A conflict (another process stored or sealed the keys first) reads
	// theirs again (store.Retry).
	err := store.Retry(ctx, func(ctx context.Context) error {
		doc, err := s.Get(ctx, keysCollection, keysID)
		if errors.Is(err, store.ErrNotFound) {
			sk, err := newKey(master, time.Now())
			if err != nil {
				return err
			}
			sks := storedKeys{Current: sk.Kid, Keys: []storedKey{sk}}
			if _, err := store.Save(ctx, s, keysCollection, keysID, sks, 0); err != nil {
				return err
			}
			ks, err = keySetFrom(sks, master)
			return err
		}
		if err != nil {
			return err
		}
		var sks storedKeys
		if err := doc.Decode(&sks); err != nil {
			return fmt.Errorf("decode signing keys: %w", err)
		}
		if ks, err = keySetFrom(sks, master); err != nil {
			return err
		}
		if plain := countPlain(sks); plain > 0 {
			if err := sealAll(&sks, master, master); err != nil {
				return err
			}
			if _, err := store.Save(ctx, s, keysCollection, keysID, sks, doc.Version); err != nil {
				return err
			}
			ks.migrated = plain
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("auth: load the signing keys: %w", err)
	}
	ks.reload = func(ctx context.Context) (*KeySet, error) { return LoadKeys(ctx, s, master) }
	return ks, nil
}

// RotateKeys makes a new signing key current. The keys it replaces keep
// verifying for KeyRetention after their retirement (the tokens they
// signed expire long before); older retired keys are removed. Running
// processes sign with the new key within KeyRefreshInterval. It returns
// the new key's id.
func RotateKeys(ctx context.Context, s store.Store, master kek.Key, now time.Time) (string, error) {
	var kid string
	err := updateKeys(ctx, s, master, func(sks *storedKeys) error {
		sk, err := newKey(master, now)
		if err != nil {
			return err
		}
		kept := sks.Keys[:0]
		for _, k := range sks.Keys {
			if k.Retired == nil {
				t := now.UTC()
				k.Retired = &t
			}
			if now.Sub(*k.Retired) < KeyRetention {
				kept = append(kept, k)
			}
		}
		sks.Keys, sks.Current, kid = append(kept, sk), sk.Kid, sk.Kid
		return sealAll(sks, master, master)
	})
	return kid, err
}

// Reseal encrypts every key again under the master key next, in one
// write: the master key's rotation. Processes still running with old
// keep the keys they have loaded but cannot read them again; restart
// them with next. It returns the number of keys.
func Reseal(ctx context.Context, s store.Store, old, next kek.Key) (int, error) {
	if next.IsZero() {
		return 0, errors.New("auth: no new master key")
	}
	var n int
	err := updateKeys(ctx, s, old, func(sks *storedKeys) error {
		n = len(sks.Keys)
		return sealAll(sks, old, next)
	})
	return n, err
}

// updateKeys applies change to the stored keys (opened with master,
// which must open every key) with compare-and-set, retrying on conflict.
func updateKeys(ctx context.Context, s store.Store, master kek.Key, change func(*storedKeys) error) error {
	_, _, err := store.Update(ctx, s, keysCollection, keysID, func(sks *storedKeys) error {
		if _, err := keySetFrom(*sks, master); err != nil {
			return err
		}
		return change(sks)
	})
	if err != nil {
		return fmt.Errorf("auth: update the signing keys: %w", err)
	}
	return nil
}

// newKey makes a signing key sealed with master.
func newKey(master kek.Key, now time.Time) (storedKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return storedKey{}, err
	}
	kidBytes := make([]byte, 8)
	_, _ = rand.Read(kidBytes)
	kid := base64.RawURLEncoding.EncodeToString(kidBytes)
	sealed, err := master.Seal(priv.Seed(), keyAAD(kid))
	if err != nil {
		return storedKey{}, err
	}
	return storedKey{Kid: kid, Sealed: &sealed, Created: now.UTC()}, nil
}

// seed returns a stored key's seed, opening it with master.
func seed(k storedKey, master kek.Key) ([]byte, error) {
	var seed []byte
	switch {
	case k.Sealed != nil:
		s, err := master.Open(*k.Sealed, keyAAD(k.Kid))
		if errors.Is(err, kek.ErrWrongKey) {
			return nil, fmt.Errorf("auth: the signing keys are encrypted with master key %s, but the configured master key is %s: "+
				"start with the master key they were encrypted with (--key-file or %s; by default <data>/%s); "+
				"every node of a deployment needs the same one", k.Sealed.KEK, master.ID(), kek.EnvVar, kek.DefaultFileName)
		}
		if err != nil {
			return nil, fmt.Errorf("auth: signing key %s: %w", k.Kid, err)
		}
		seed = s
	case k.Private != "":
		s, err := base64.StdEncoding.DecodeString(k.Private)
		if err != nil {
			return nil, fmt.Errorf("auth: key %s is corrupt", k.Kid)
		}
		seed = s
	}
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("auth: key %s is corrupt", k.Kid)
	}
	return seed, nil
}

// sealAll stores every key sealed with next (opening it with old), and no
// key in plain text.
func sealAll(sks *storedKeys, old, next kek.Key) error {
	for i, k := range sks.Keys {
		if k.Sealed != nil && k.Sealed.KEK == next.ID() && k.Private == "" {
			continue
		}
		sd, err := seed(k, old)
		if err != nil {
			return err
		}
		sealed, err := next.Seal(sd, keyAAD(k.Kid))
		if err != nil {
			return err
		}
		sks.Keys[i].Sealed, sks.Keys[i].Private = &sealed, ""
	}
	return nil
}

func countPlain(sks storedKeys) int {
	n := 0
	for _, k := range sks.Keys {
		if k.Private != "" {
			n++
		}
	}
	return n
}

func keySetFrom(sks storedKeys, master kek.Key) (*KeySet, error) {
	ks := &KeySet{public: map[string]ed25519.PublicKey{}}
	for _, k := range sks.Keys {
		sd, err := seed(k, master)
		if err != nil {
			return nil, err
		}
		priv := ed25519.NewKeyFromSeed(sd)
		ks.public[k.Kid] = priv.Public().(ed25519.PublicKey)
		if k.Kid == sks.Current {
			ks.kid, ks.signing = k.Kid, priv
		}
	}
	if ks.signing == nil {
		return nil, errors.New("auth: current signing key missing")
	}
	return ks, nil
}

// NewKeySet makes an in-memory key set with one fresh key (tests, tools).
func NewKeySet() (*KeySet, error) {
	master, err := kek.Generate()
	if err != nil {
		return nil, err
	}
	k, err := newKey(master, time.Now())
	if err != nil {
		return nil, err
	}
	return keySetFrom(storedKeys{Current: k.Kid, Keys: []storedKey{k}}, master)
}
