package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"
	"time"
	"zhengwu/shared/classification"

	"github.com/golang-jwt/jwt/v5"
)

func testTokens(t testing.TB) (*Tokens, *KeySet) {
	t.Helper()
	ks, err := NewKeySet()
	if err != nil {
		t.Fatal(err)
	}
	return NewTokens(ks, nil), ks
}

var alice = Principal{UserID: "u1", Username: "alice", Name: "李文静", Clearance: classification.Mimi,
	Departments: []string{"xinxi"}, Perms: map[string][]string{"portal.item.edit": {"xinxi"}, "office.read": {OfficeWide}}}

func TestIssueAndVerify(t *testing.T) {
	tok, _ := testTokens(t)
	s, exp, err := tok.Issue(alice, "jti-1")
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(exp); d < 14*time.Minute || d > 15*time.Minute {
		t.Fatalf("expiry in %v, want 15m", d)
	}
	p, err := tok.Verify(s)
	if err != nil {
		t.Fatal(err)
	}
	if p.UserID != "u1" || p.Name != "李文静" || !p.Can(PermPortalEdit, "xinxi") || p.Can(PermPortalEdit, "ducha") {
		t.Fatalf("principal round trip: %+v", p)
	}
	if !p.Can(PermOfficeRead, "anything") || !p.Can(PermOfficeRead, OfficeWide) || p.Can(PermPortalEdit, OfficeWide) {
		t.Fatal("office-wide scope semantics")
	}
}

// Every forged or stale token is refused.
func TestVerifyRejects(t *testing.T) {
	tok, ks := testTokens(t)
	other, _ := testTokens(t)
	good, _, _ := tok.Issue(alice, "j")
	parts := strings.Split(good, ".")

	claims := func(mut func(*Claims)) Claims {
		now := time.Now()
		c := Claims{RegisteredClaims: jwt.RegisteredClaims{Issuer: Issuer, Subject: "u1", Audience: jwt.ClaimStrings{Audience},
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Minute))}, Principal: alice}
		mut(&c)
		return c
	}
	sign := func(c Claims, kid string) string {
		tk := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
		tk.Header["kid"] = kid
		s, err := tk.SignedString(ks.signing)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	pub := ks.public[ks.kid]
	hmacWithPublicKey := func() string {
		tk := jwt.NewWithClaims(jwt.SigningMethodHS256, claims(func(*Claims) {}))
		tk.Header["kid"] = ks.kid
		s, _ := tk.SignedString([]byte(pub))
		return s
	}()
	none := func() string {
		tk := jwt.NewWithClaims(jwt.SigningMethodNone, claims(func(*Claims) {}))
		s, _ := tk.SignedString(jwt.UnsafeAllowNoneSignatureType)
		return s
	}()
	otherKey, _, _ := other.Issue(alice, "j")
	_, foreignPriv, _ := ed25519.GenerateKey(rand.Reader)
	foreignSameKid := func() string {
		tk := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims(func(*Claims) {}))
		tk.Header["kid"] = ks.kid
		s, _ := tk.SignedString(foreignPriv)
		return s
	}()
	tamperedPayload := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"admin","uid":"admin"}`)) + "." + parts[2]

	cases := map[string]string{
		"alg none":                     none,
		"HMAC with the public key":     hmacWithPublicKey,
		"signed by another deployment": otherKey,
		"foreign key, our kid":         foreignSameKid,
		"tampered payload":             tamperedPayload,
		"expired": sign(claims(func(c *Claims) {
			c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Hour))
		}), ks.kid),
		"no expiry":      sign(claims(func(c *Claims) { c.ExpiresAt = nil }), ks.kid),
		"wrong issuer":   sign(claims(func(c *Claims) { c.Issuer = "evil" }), ks.kid),
		"wrong audience": sign(claims(func(c *Claims) { c.Audience = jwt.ClaimStrings{"portal"} }), ks.kid),
		"unknown kid":    sign(claims(func(*Claims) {}), "nope"),
		"issued in the future": sign(claims(func(c *Claims) {
			c.IssuedAt = jwt.NewNumericDate(time.Now().Add(time.Hour))
			c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(2 * time.Hour))
		}), ks.kid),
		"subject mismatch": sign(claims(func(c *Claims) { c.Subject = "someone-else" }), ks.kid),
		"garbage":          "not.a.token",
		"empty":            "",
	}
	for name, token := range cases {
		t.Run(name, func(t *testing.T) {
			if p, err := tok.Verify(token); err == nil {
				t.Fatalf("accepted: %+v", p)
			}
		})
	}
	// The control: the same construction with nothing wrong passes.
	if _, err := tok.Verify(sign(claims(func(*Claims) {}), ks.kid)); err != nil {
		t.Fatalf("control token refused: %v", err)
	}
}

func TestClearance(t *testing.T) {
	p := &Principal{Clearance: classification.Mimi}
	if !p.MayRead(classification.Feimi) || !p.MayRead(classification.Mimi) || p.MayRead(classification.Jimi) || p.MayRead(classification.Juemi) {
		t.Fatal("clearance ordering")
	}
	var none *Principal
	if none.MayRead(classification.Feimi) || none.Can(PermOfficeRead, OfficeWide) {
		t.Fatal("nil principal may do nothing")
	}
}

// BenchmarkVerify/signature is a token seen for the first time (the
// Ed25519 check); /cached is the same token again.
func BenchmarkVerify(b *testing.B) {
	tok, _ := testTokens(b)
	b.Run("signature", func(b *testing.B) {
		s, _, _ := tok.Issue(alice, "j")
		b.ReportAllocs()
		for b.Loop() {
			tok.cache.entries = nil // forget it: every round checks the signature
			if _, err := tok.Verify(s); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		s, _, _ := tok.Issue(alice, "j")
		b.ReportAllocs()
		for b.Loop() {
			if _, err := tok.Verify(s); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// A cached token still expires.
func TestCachedTokenExpires(t *testing.T) {
	ks, _ := NewKeySet()
	now := time.Now()
	tok := NewTokens(ks, func() time.Time { return now })
	s, _, _ := tok.Issue(alice, "j")
	if _, err := tok.Verify(s); err != nil {
		t.Fatal(err)
	}
	now = now.Add(16 * time.Minute)
	if _, err := tok.Verify(s); err == nil {
		t.Fatal("expired token accepted from the cache")
	}
}

func BenchmarkIssue(b *testing.B) {
	tok, _ := testTokens(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := tok.Issue(alice, "j"); err != nil {
			b.Fatal(err)
		}
	}
}
