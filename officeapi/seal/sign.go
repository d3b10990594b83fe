package seal

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	"zhengwu/officeapi/layout"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/shared/problem"
)

// Seal renders with unit's seal image and signs the PDF with unit's
// active key: the contract print and archive take as a function value.
// Who may seal is the caller's decision (the 印制 step's); the use is
// audited here.
func (s *Service) Seal(ctx context.Context, actor records.Actor, unit string, render func(layout.Options) ([]byte, error)) ([]byte, error) {
	return s.seal(ctx, actor, unit, "", render)
}

// SealDocument is Seal for doc, whose id the signature and the audit
// entry name. A 纪要, and any document not marked Sealed, is refused: it
// carries no seal (the layout draws none for it either).
func (s *Service) SealDocument(ctx context.Context, actor records.Actor, unit string, doc officialdoc.Document, render func(layout.Options) ([]byte, error)) ([]byte, error) {
	if doc.DocType == "纪要" || !doc.Sealed {
		return nil, s.refused(ctx, actor, "seal.sign", unit, problem.New(409, problem.CodeInvalidState,
			"纪要及不加盖印章的公文不盖电子印章", "minutes (纪要) and documents not marked sealed carry no seal"))
	}
	return s.seal(ctx, actor, unit, doc.ID, render)
}

func (s *Service) seal(ctx context.Context, a records.Actor, unitID, docID string, render func(layout.Options) ([]byte, error)) ([]byte, error) {
	const action = "seal.sign"
	if a.P == nil {
		return nil, problem.Forbidden()
	}
	u, err := s.unit(ctx, unitID)
	if err != nil {
		return nil, s.refused(ctx, a, action, unitID, err)
	}
	r, _, err := s.load(ctx, u)
	if err != nil {
		return nil, err
	}
	k, ok := r.Active()
	if !ok {
		return nil, s.refused(ctx, a, action, unitID, problem.New(409, problem.CodeInvalidState,
			u.Name+"尚无电子印章密钥，请安全保密管理员生成", u.ID+" has no seal key yet: the security administrator generates one"))
	}
	img, err := s.image(r)
	if err != nil {
		return nil, err
	}
	pdf, err := render(layout.Options{Seal: img})
	if err != nil {
		return nil, err
	}
	priv, err := s.private(r, k.ID)
	if err != nil {
		return nil, err
	}
	c := claim{Unit: u.ID, UnitName: u.Name, KeyID: k.ID, Signer: a.P.UserID, SignerName: a.P.Name, Document: docID, At: s.d.Now().UTC()}
	out, err := appendSignature(pdf, c, func(msg []byte) ([]byte, error) {
		return priv.Sign(rand.Reader, msg, sm2.NewSM2SignerOption(true, nil))
	})
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(out)
	details := map[string]any{"keyId": k.ID, "sha256": hex.EncodeToString(sum[:]), "bytes": len(out)}
	if docID != "" {
		details["document"] = docID
	}
	// The entry is written before the file is handed out: a seal that
	// cannot be audited is not used.
	if _, err := s.d.Trail.Record(ctx, event(a, action, u.ID, details)); err != nil {
		return nil, err
	}
	return out, nil
}

// private opens the unit's private key for one use.
func (s *Service) private(r record, keyID string) (*sm2.PrivateKey, error) {
	sealed, ok := r.Private[keyID]
	if !ok {
		return nil, fmt.Errorf("seal: the private half of key %s is missing", keyID)
	}
	der, err := s.d.Master.Open(sealed, aad(keyID))
	if err != nil {
		return nil, fmt.Errorf("seal: key %s: %w", keyID, err)
	}
	defer clear(der)
	key, err := smx509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("seal: key %s: %w", keyID, err)
	}
	priv, ok := key.(*sm2.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("seal: key %s is not an SM2 key", keyID)
	}
	return priv, nil
}
