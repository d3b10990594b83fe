// Package seal is the electronic seal (电子印章): one SM2 key pair (国密,
// github.com/emmansun/gmsm) and one seal image per issuing unit (the roots
// of the org tree: 省政府办公厅, 合肥市人民政府办公室, 省发改委 in the demo).
//
// The security administrator (seal.manage) generates, rotates and revokes
// a unit's key; a private key is encrypted at rest under the deployment's
// master key (shared/kek, as the token signing keys are), is never in an
// answer, a log line or an audit entry, and is destroyed when its key is
// retired. Retired keys keep their public half, so files sealed before
// still verify (reported as rotated or revoked).
//
// Seal draws the unit's seal image into a rendering (layout.Options.Seal)
// and signs the PDF with the unit's active key (pdfsig.go says how the
// signature sits in the file); Verify says who sealed a file, for which
// unit, when, and whether a single byte has changed since. 纪要 carry no
// seal: SealDocument refuses them (and documents not marked Sealed).
package seal

import (
	"context"
	"crypto/ecdsa"
	"encoding/base64"
	"errors"
	"log/slog"
	"time"

	"github.com/emmansun/gmsm/smx509"

	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/layout"
	"zhengwu/shared/audit"
	"zhengwu/shared/kek"
	"zhengwu/shared/store"
)

// Collection holds one stored unit (its keys, its uploaded image) per
// issuing unit, by the unit's department id.
const Collection = "seal_units"

// Key states.
const (
	Active  = "active"  // seals now
	Rotated = "rotated" // replaced by a newer key: verifies what it sealed
	Revoked = "revoked" // withdrawn (compromised, unit dissolved): verifies only what it sealed before
)

// Key is the public half of a unit's seal key and its history: what the
// API answers and what verification needs.
type Key struct {
	ID        string     `json:"id"` // the first 16 hex digits of the SM3 hash of PublicKey
	Unit      string     `json:"unit"`
	Algorithm string     `json:"algorithm"` // "SM2"
	PublicKey string     `json:"publicKey"` // SubjectPublicKeyInfo, DER in base64
	State     string     `json:"state"`     // active, rotated, revoked
	CreatedAt time.Time  `json:"createdAt"`
	CreatedBy string     `json:"createdBy"` // user id
	RetiredAt *time.Time `json:"retiredAt,omitempty"`
	RetiredBy string     `json:"retiredBy,omitempty"`
	Reason    string     `json:"reason,omitempty"` // why it was revoked
}

// Unit is an issuing unit's seal: its keys, newest last (at most one
// active), and whether the security administrator uploaded its image.
type Unit struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Keys        []Key  `json:"keys"`
	CustomImage bool   `json:"customImage"`
}

// Active is the unit's active key, if it has one.
func (u Unit) Active() (Key, bool) {
	for _, k := range u.Keys {
		if k.State == Active {
			return k, true
		}
	}
	return Key{}, false
}

// record is a Unit as stored: with its sealed private keys (only the
// active key's: a retired key's is destroyed) and the uploaded image.
type record struct {
	Unit
	Private map[string]kek.Sealed `json:"private,omitempty"` // key id → PKCS#8, sealed
	Image   []byte                `json:"image,omitempty"`   // PNG
}

// Deps is what the seal needs from the process.
type Deps struct {
	Store store.Store
	Trail *audit.Trail
	// Master encrypts the private keys (the process's master key).
	Master kek.Key
	// Departments is the org tree; its roots are the issuing units.
	Departments func(ctx context.Context) ([]identity.Department, error)
	// Font draws the unit's name on its seal (default: the layout's 黑体).
	Font layout.FontFile
	Now  func() time.Time
	Log  *slog.Logger
}

// Service is the electronic seal.
type Service struct {
	d Deps
}

// New makes the service.
func New(d Deps) (*Service, error) {
	if d.Store == nil || d.Trail == nil || d.Departments == nil || d.Master.IsZero() {
		return nil, errors.New("seal: Store, Trail, Departments and Master are required")
	}
	if d.Font.Path == "" {
		d.Font = layout.SystemFonts().Hei
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	return &Service{d: d}, nil
}

// Keyring is every key verification may meet, by key id.
type Keyring map[string]Key

// publicKey decodes k's public key.
func (k Key) publicKey() (*ecdsa.PublicKey, error) {
	der, err := base64.StdEncoding.DecodeString(k.PublicKey)
	if err != nil {
		return nil, err
	}
	pub, err := smx509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, err
	}
	ec, ok := pub.(*ecdsa.PublicKey)
	if !ok {
		return nil, errors.New("seal: not an SM2 public key")
	}
	return ec, nil
}
