package seal

import (
	"context"
	"errors"
	"time"

	"github.com/emmansun/gmsm/sm2"

	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// Report is what verification says of a sealed file.
type Report struct {
	// Valid: intact, and sealed by a key of the unit it names that was in
	// force then (active or since rotated; revoked only after the seal).
	Valid bool `json:"valid"`
	// Intact: the signature checks over every byte of the file but its
	// own value, and nothing was appended after it.
	Intact     bool      `json:"intact"`
	Unit       string    `json:"unit"`
	UnitName   string    `json:"unitName"`
	KeyID      string    `json:"keyId"`
	KeyState   string    `json:"keyState"` // active, rotated, revoked, or unknown
	Signer     string    `json:"signer"`   // user id
	SignerName string    `json:"signerName"`
	Document   string    `json:"document,omitempty"`
	SignedAt   time.Time `json:"signedAt"`
	// Problems say in Chinese why the file is not valid (empty when it is).
	Problems []string `json:"problems"`
}

// Verify checks pdf's last seal against keys. A file that carries no seal
// at all is an error (a problem naming the field "file"); a damaged or
// altered one is a report that says why it is not valid.
func Verify(pdf []byte, keys Keyring) (Report, error) {
	f, err := lastSignature(pdf)
	if errors.Is(err, errNoSeal) {
		return Report{}, problem.Invalid(problem.Field("file", "文件未加盖电子印章（或不是 PDF）", "the file carries no electronic seal (or is not a PDF)"))
	}
	if err != nil {
		return Report{KeyState: "unknown", Problems: []string{"签章已损坏：" + err.Error()}}, nil
	}
	r := Report{Unit: f.Unit, UnitName: f.UnitName, KeyID: f.KeyID, KeyState: "unknown", Signer: f.Signer,
		SignerName: f.SignerName, Document: f.Document, SignedAt: f.At, Problems: []string{}}
	k, known := keys[f.KeyID]
	switch {
	case !known:
		r.Problems = append(r.Problems, "签章密钥不在本系统的印章密钥中")
	case k.Unit != f.Unit:
		r.Problems = append(r.Problems, "签章密钥不属于文件所称的发文单位")
	default:
		r.KeyState = k.State
	}
	if known && k.Unit == f.Unit {
		pub, err := k.publicKey()
		if err != nil {
			return Report{}, err
		}
		r.Intact = f.padded && sm2.VerifyASN1WithSM2(pub, nil, signedBytes(pdf, f.byteRange[1], f.byteRange[2]), f.sig)
		if !r.Intact {
			r.Problems = append(r.Problems, "签章验证失败：文件在盖章后被改动")
		}
		if r.Intact && f.byteRange[2]+f.byteRange[3] != len(pdf) {
			r.Intact = false
			r.Problems = append(r.Problems, "盖章后文件末尾被追加了内容")
		}
		if k.State == Revoked && k.RetiredAt != nil && !f.At.Before(*k.RetiredAt) {
			r.Problems = append(r.Problems, "签章时密钥已被吊销")
		}
	}
	r.Valid = len(r.Problems) == 0
	return r, nil
}

// Verify checks pdf against every unit's keys.
func (s *Service) Verify(ctx context.Context, pdf []byte) (Report, error) {
	keys, err := s.Keyring(ctx)
	if err != nil {
		return Report{}, err
	}
	return Verify(pdf, keys)
}

// VerifyFor is Verify for a member of staff (office.read anywhere) or the
// security administrator: the verification page's upload.
func (s *Service) VerifyFor(ctx context.Context, p *auth.Principal, pdf []byte) (Report, error) {
	if !p.CanAnywhere(auth.PermOfficeRead) && !p.CanAnywhere(auth.PermSealManage) { // as the route declares: either, in any scope
		return Report{}, problem.Forbidden()
	}
	return s.Verify(ctx, pdf)
}
