package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token constants shared by issuer and verifier.
const (
	Issuer         = "zhengwu"
	Audience       = "zhengwu"
	AccessTokenTTL = 15 * time.Minute
)

// Claims is the access token's payload: the registered claims plus the
// principal, so that every service can authorise without a lookup.
type Claims struct {
	jwt.RegisteredClaims
	Principal
	// SessionID is the login session (refresh-token family) the token was
	// issued in, so that revoking the session refuses it.
	SessionID string `json:"sid,omitempty"`
	// IssuedAtMicro is iat in unix microseconds: iat has whole seconds,
	// too coarse to tell a token issued just before a user-wide revocation
	// from the new login just after it.
	IssuedAtMicro int64 `json:"iat_us,omitempty"`
}

// issuedAt is the issue time in unix microseconds (from iat for a token
// that lacks iat_us).
func (c *Claims) issuedAt() int64 {
	if c.IssuedAtMicro != 0 {
		return c.IssuedAtMicro
	}
	if c.IssuedAt == nil {
		return 0
	}
	return c.IssuedAt.UnixMicro()
}

// Tokens issues and verifies access tokens with a KeySet.
type Tokens struct {
	keys   atomic.Pointer[KeySet]
	now    func() time.Time
	parser *jwt.Parser
	cache  verified
	revs   *Revocations

	// keysMu serialises re-reading the keys (see KeyRefreshInterval).
	keysMu     sync.Mutex
	keysLoaded time.Time // when the set was read
	keysMissed time.Time // when an unknown kid last made it re-read
}

// keyMissInterval bounds how often tokens with unknown kids (a new key,
// or a forgery) make the keys be re-read from the store.
const keyMissInterval = 10 * time.Second

// verified remembers tokens whose signature has been checked, until they
// expire: an Ed25519 verification costs ~60 µs, a map lookup ~0.1 µs, and
// a client sends the same access token on every request for 15 minutes.
// Only successful verifications are kept; the map is bounded by clearing
// it when full.
type verified struct {
	mu      sync.Mutex
	entries map[string]cachedPrincipal
}

type cachedPrincipal struct {
	p   Principal
	exp time.Time
	sid string
	iat int64 // unix µs
}

const verifiedCacheSize = 8192

func (v *verified) get(token string, now time.Time) (cachedPrincipal, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	e, ok := v.entries[token]
	if !ok || !now.Before(e.exp) {
		return cachedPrincipal{}, false
	}
	return e, true
}

func (v *verified) put(token string, e cachedPrincipal) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.entries == nil || len(v.entries) >= verifiedCacheSize {
		v.entries = make(map[string]cachedPrincipal, 256)
	}
	v.entries[token] = e
}

// NewTokens returns an issuer/verifier. now is the clock (time.Now in
// production, a fake in tests). Its revocation list is in memory until
// Revocations().Attach gives it a store.
func NewTokens(keys *KeySet, now func() time.Time) *Tokens {
	if now == nil {
		now = time.Now
	}
	t := &Tokens{now: now, keysLoaded: now(), revs: newRevocations(now), parser: jwt.NewParser(
		// Only EdDSA is accepted: this rules out "none" and the
		// HMAC-with-the-public-key confusion by construction.
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(30*time.Second),
		jwt.WithTimeFunc(now),
	)}
	t.keys.Store(keys)
	return t
}

// signingKeys is the key set to sign with: re-read from the store when it
// is older than KeyRefreshInterval, so that a key RotateKeys made current
// is used. One caller re-reads; the others go on with the set they have.
func (t *Tokens) signingKeys() *KeySet {
	ks := t.keys.Load()
	if ks.reload == nil || !t.keysMu.TryLock() {
		return ks
	}
	defer t.keysMu.Unlock()
	if t.now().Sub(t.keysLoaded) < KeyRefreshInterval {
		return t.keys.Load()
	}
	return t.reloadKeys()
}

// publicKey finds the key of kid. An unknown kid makes the set be re-read
// (at most every keyMissInterval): another process may sign with a key
// this one has not read yet.
func (t *Tokens) publicKey(kid string) (ed25519.PublicKey, bool) {
	ks := t.keys.Load()
	if key, ok := ks.public[kid]; ok || ks.reload == nil {
		return key, ok
	}
	t.keysMu.Lock()
	defer t.keysMu.Unlock()
	if key, ok := t.keys.Load().public[kid]; ok { // re-read meanwhile
		return key, true
	}
	if t.now().Sub(t.keysMissed) < keyMissInterval {
		return nil, false
	}
	t.keysMissed = t.now()
	key, ok := t.reloadKeys().public[kid]
	return key, ok
}

// reloadKeys reads the set again (keysMu held). On failure the set in use
// stays: a store that does not answer, or keys re-encrypted under a new
// master key this process does not have, must not stop it verifying.
func (t *Tokens) reloadKeys() *KeySet {
	cur := t.keys.Load()
	t.keysLoaded = t.now()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	fresh, err := cur.reload(ctx)
	if err != nil {
		slog.Warn("could not re-read the token signing keys; going on with those loaded", "err", err)
		return cur
	}
	t.keys.Store(fresh)
	return fresh
}

// Revocations is the list of revoked sessions and users Verify checks.
func (t *Tokens) Revocations() *Revocations { return t.revs }

// Issue signs an access token for p with the token id (jti) id, in no
// session: only a user-wide revocation refuses it before it expires.
func (t *Tokens) Issue(p Principal, id string) (string, time.Time, error) {
	return t.issue(p, "", id)
}

// IssueSession signs an access token for p in the login session
// sessionID (the sid claim), with a fresh token id; RevokeSession of that
// session refuses it.
func (t *Tokens) IssueSession(p Principal, sessionID string) (string, time.Time, error) {
	if sessionID == "" {
		return "", time.Time{}, errors.New("auth: issue with an empty session id")
	}
	jti := make([]byte, 16)
	_, _ = rand.Read(jti)
	return t.issue(p, sessionID, hex.EncodeToString(jti))
}

func (t *Tokens) issue(p Principal, sessionID, id string) (string, time.Time, error) {
	now := t.now()
	exp := now.Add(AccessTokenTTL)
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    Issuer,
			Subject:   p.UserID,
			Audience:  jwt.ClaimStrings{Audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
			ID:        id,
		},
		Principal:     p,
		SessionID:     sessionID,
		IssuedAtMicro: now.UnixMicro(),
	})
	ks := t.signingKeys()
	tok.Header["kid"] = ks.kid
	s, err := tok.SignedString(ks.signing)
	return s, exp, err
}

// ErrInvalidToken wraps every verification failure.
var ErrInvalidToken = errors.New("invalid token")

// Verify checks signature, algorithm, kid, issuer, audience, expiry and
// the revocation list and returns the principal. A cached token is checked
// against the revocation list again on every call.
func (t *Tokens) Verify(token string) (*Principal, error) {
	if e, ok := t.cache.get(token, t.now()); ok {
		if t.revs.revoked(e.p.UserID, e.sid, e.iat) {
			return nil, ErrRevoked
		}
		p := e.p // copy just the principal: &e.p would move all of e to the heap
		return &p, nil
	}
	var claims Claims
	_, err := t.parser.ParseWithClaims(token, &claims, func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		key, ok := t.publicKey(kid)
		if !ok {
			return nil, fmt.Errorf("unknown kid %q", kid)
		}
		return ed25519.PublicKey(key), nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	if claims.Subject == "" || claims.Subject != claims.UserID {
		return nil, fmt.Errorf("%w: subject mismatch", ErrInvalidToken)
	}
	iat := claims.issuedAt()
	if t.revs.revoked(claims.Subject, claims.SessionID, iat) {
		return nil, ErrRevoked
	}
	p := claims.Principal
	t.cache.put(token, cachedPrincipal{p: p, exp: claims.ExpiresAt.Time, sid: claims.SessionID, iat: iat})
	return &p, nil
}
