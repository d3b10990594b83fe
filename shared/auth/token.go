package auth

import (
	"crypto/ed25519"
	"errors"
	"fmt"
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
}

// Tokens issues and verifies access tokens with a KeySet.
type Tokens struct {
	keys   *KeySet
	now    func() time.Time
	parser *jwt.Parser
}

// NewTokens returns an issuer/verifier. now is the clock (time.Now in
// production, a fake in tests).
func NewTokens(keys *KeySet, now func() time.Time) *Tokens {
	if now == nil {
		now = time.Now
	}
	return &Tokens{keys: keys, now: now, parser: jwt.NewParser(
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
}

// Issue signs an access token for p; it returns the token and its expiry.
func (t *Tokens) Issue(p Principal, id string) (string, time.Time, error) {
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
		Principal: p,
	})
	tok.Header["kid"] = t.keys.kid
	s, err := tok.SignedString(t.keys.signing)
	return s, exp, err
}

// ErrInvalidToken wraps every verification failure.
var ErrInvalidToken = errors.New("invalid token")

// Verify checks signature, algorithm, kid, issuer, audience and expiry and
// returns the principal.
func (t *Tokens) Verify(token string) (*Principal, error) {
	var claims Claims
	_, err := t.parser.ParseWithClaims(token, &claims, func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		key, ok := t.keys.public[kid]
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
	p := claims.Principal
	return &p, nil
}
