package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"zhengwu/shared/store"
)

// Signing keys live in the store (collection "system", id "jwt-keys") so
// that every process of a deployment, whatever node it runs on, verifies
// with the same keys and one rotation reaches all of them.
const (
	keysCollection = "system"
	keysID         = "jwt-keys"
)

type storedKey struct {
	Kid     string    `json:"kid"`
	Private string    `json:"private"` // base64 ed25519 seed
	Created time.Time `json:"created"`
}

type storedKeys struct {
	Current string      `json:"current"`
	Keys    []storedKey `json:"keys"`
}

// KeySet is the current signing key and every key still accepted.
type KeySet struct {
	kid     string
	signing ed25519.PrivateKey
	public  map[string]ed25519.PublicKey
}

// LoadKeys reads the deployment's keys from the store, creating the first
// key if there is none. Concurrent first starts agree through the store's
// compare-and-set.
func LoadKeys(ctx context.Context, s store.Store) (*KeySet, error) {
	var sks storedKeys
	err := store.Retry(ctx, func(ctx context.Context) error {
		doc, err := s.Get(ctx, keysCollection, keysID)
		if errors.Is(err, store.ErrNotFound) {
			sk, err := newKey()
			if err != nil {
				return err
			}
			sks = storedKeys{Current: sk.Kid, Keys: []storedKey{sk}}
			data, _ := json.Marshal(sks)
			// A conflict: another process created them first; the
			// retry reads theirs.
			_, err = s.Put(ctx, keysCollection, keysID, data, 0)
			return err
		}
		if err != nil {
			return err
		}
		sks = storedKeys{}
		if err := doc.Decode(&sks); err != nil {
			return fmt.Errorf("decode signing keys: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("auth: load signing keys: %w", err)
	}
	return keySetFrom(sks)
}

func newKey() (storedKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return storedKey{}, err
	}
	kidBytes := make([]byte, 8)
	_, _ = rand.Read(kidBytes)
	return storedKey{
		Kid:     base64.RawURLEncoding.EncodeToString(kidBytes),
		Private: base64.StdEncoding.EncodeToString(priv.Seed()),
		Created: time.Now().UTC(),
	}, nil
}

func keySetFrom(sks storedKeys) (*KeySet, error) {
	ks := &KeySet{public: map[string]ed25519.PublicKey{}}
	for _, k := range sks.Keys {
		seed, err := base64.StdEncoding.DecodeString(k.Private)
		if err != nil || len(seed) != ed25519.SeedSize {
			return nil, fmt.Errorf("auth: key %s is corrupt", k.Kid)
		}
		priv := ed25519.NewKeyFromSeed(seed)
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
	k, err := newKey()
	if err != nil {
		return nil, err
	}
	return keySetFrom(storedKeys{Current: k.Kid, Keys: []storedKey{k}})
}
