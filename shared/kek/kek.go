// Package kek is the deployment's key-encryption key (the "master key"):
// 32 random bytes that encrypt the secrets Zhengwu keeps in its store (the
// token signing keys) with AES-256-GCM, so that a copy of the database
// alone does not give them away. The key itself never enters the store:
// it comes from a file (--key-file), the environment (ZHENGWU_MASTER_KEY)
// or, by default, <data>/master.key.
package kek

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Size is the key's length in bytes (AES-256).
const Size = 32

// Alg names the sealing algorithm in a Sealed value.
const Alg = "A256GCM"

// Key is a key-encryption key. Its zero value is "no key". It prints as
// its ID, never its bytes, so that a configuration dump cannot leak it.
type Key struct {
	b  [Size]byte
	id string
}

// New makes a key of 32 bytes.
func New(b []byte) (Key, error) {
	if len(b) != Size {
		return Key{}, fmt.Errorf("kek: a key is %d bytes, got %d", Size, len(b))
	}
	var k Key
	copy(k.b[:], b)
	if subtle.ConstantTimeCompare(k.b[:], make([]byte, Size)) == 1 {
		return Key{}, errors.New("kek: the key is all zero bytes")
	}
	sum := sha256.Sum256(append([]byte("zhengwu kek id\x00"), k.b[:]...))
	k.id = hex.EncodeToString(sum[:6])
	return k, nil
}

// Generate makes a random key.
func Generate() (Key, error) {
	b := make([]byte, Size)
	if _, err := rand.Read(b); err != nil {
		return Key{}, err
	}
	return New(b)
}

// MustGenerate is Generate for tests and tools: it panics if the system
// has no randomness.
func MustGenerate() Key {
	k, err := Generate()
	if err != nil {
		panic(err)
	}
	return k
}

// Parse reads a key written as 64 hex digits or as base64 (standard or
// URL alphabet, padded or not) of 32 bytes; surrounding space is ignored.
// Errors never repeat the text.
func Parse(text string) (Key, error) {
	text = strings.TrimSpace(text)
	if len(text) == 2*Size {
		if b, err := hex.DecodeString(text); err == nil {
			return New(b)
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(text); err == nil && len(b) == Size {
			return New(b)
		}
	}
	return Key{}, fmt.Errorf("kek: want %d random bytes written as 64 hex digits or in base64", Size)
}

// ID names the key without revealing it (a hash of it): a sealed value
// records the ID of the key that sealed it, so that a wrong key is told
// from a corrupt value.
func (k Key) ID() string { return k.id }

// IsZero reports whether k is no key.
func (k Key) IsZero() bool { return k.id == "" }

// Equal reports whether two keys are the same key.
func (k Key) Equal(o Key) bool {
	return k.id == o.id && subtle.ConstantTimeCompare(k.b[:], o.b[:]) == 1
}

// String is "kek:" and the ID.
func (k Key) String() string {
	if k.IsZero() {
		return "kek:none"
	}
	return "kek:" + k.id
}

// GoString is String, for %#v.
func (k Key) GoString() string { return k.String() }

// Encode writes the key in base64, as a key file holds it.
func (k Key) Encode() string { return base64.StdEncoding.EncodeToString(k.b[:]) }

// Sealed is a secret encrypted under a key, as stored.
type Sealed struct {
	KEK   string `json:"kek"`   // ID of the key that sealed it
	Alg   string `json:"alg"`   // Alg
	Nonce string `json:"nonce"` // base64
	Data  string `json:"data"`  // base64 ciphertext and tag
}

// ErrWrongKey is returned by Open for a value sealed under another key.
var ErrWrongKey = errors.New("kek: sealed under another master key")

// Seal encrypts plain under k. aad (additional data) binds the value to
// its place: Open must be given the same aad, so a sealed value copied to
// another place does not open.
func (k Key) Seal(plain, aad []byte) (Sealed, error) {
	gcm, err := k.gcm()
	if err != nil {
		return Sealed{}, err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return Sealed{}, err
	}
	return Sealed{KEK: k.id, Alg: Alg, Nonce: base64.StdEncoding.EncodeToString(nonce),
		Data: base64.StdEncoding.EncodeToString(gcm.Seal(nil, nonce, plain, aad))}, nil
}

// Open decrypts s, which must have been sealed under k with aad.
func (k Key) Open(s Sealed, aad []byte) ([]byte, error) {
	if s.KEK != k.id {
		return nil, fmt.Errorf("%w %s (this is %s)", ErrWrongKey, s.KEK, k.id)
	}
	if s.Alg != Alg {
		return nil, fmt.Errorf("kek: unknown algorithm %q", s.Alg)
	}
	gcm, err := k.gcm()
	if err != nil {
		return nil, err
	}
	nonce, err1 := base64.StdEncoding.DecodeString(s.Nonce)
	data, err2 := base64.StdEncoding.DecodeString(s.Data)
	if err1 != nil || err2 != nil || len(nonce) != gcm.NonceSize() {
		return nil, errors.New("kek: sealed value is corrupt")
	}
	plain, err := gcm.Open(nil, nonce, data, aad)
	if err != nil {
		return nil, errors.New("kek: sealed value is corrupt or was moved (authentication failed)")
	}
	return plain, nil
}

func (k Key) gcm() (cipher.AEAD, error) {
	if k.IsZero() {
		return nil, errors.New("kek: no master key")
	}
	block, err := aes.NewCipher(k.b[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
