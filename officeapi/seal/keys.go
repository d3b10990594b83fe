package seal

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/smx509"

	"zhengwu/officeapi/records"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/kek"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Units are the issuing units and their seals, for the security
// administrator (seal.manage, office-wide).
func (s *Service) Units(ctx context.Context, p *auth.Principal) ([]Unit, error) {
	if !p.Can(auth.PermSealManage, auth.OfficeWide) {
		return nil, problem.Forbidden()
	}
	roots, err := s.roots(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Unit, 0, len(roots))
	for _, u := range roots {
		r, _, err := s.load(ctx, u)
		if err != nil {
			return nil, err
		}
		out = append(out, r.Unit)
	}
	return out, nil
}

// Unit is one issuing unit's seal (seal.manage, office-wide).
func (s *Service) Unit(ctx context.Context, p *auth.Principal, unit string) (Unit, error) {
	if !p.Can(auth.PermSealManage, auth.OfficeWide) {
		return Unit{}, problem.Forbidden()
	}
	u, err := s.unit(ctx, unit)
	if err != nil {
		return Unit{}, err
	}
	r, _, err := s.load(ctx, u)
	return r.Unit, err
}

// KeyInput is what the security administrator says when generating a key.
type KeyInput struct {
	// Reason is why, recorded with a rotation (optional for the first key).
	Reason string `json:"reason,omitempty" validate:"max=200,nocontrol"`
}

// RevokeInput says why a key is withdrawn.
type RevokeInput struct {
	Reason string `json:"reason" validate:"required,max=200,nocontrol"`
}

// Generate makes a new key pair for unit: its first, or the next one,
// which retires the active key as rotated (files it sealed still verify).
func (s *Service) Generate(ctx context.Context, a records.Actor, unit string, in KeyInput) (Unit, error) {
	action := "seal.key.generate"
	if !a.P.Can(auth.PermSealManage, auth.OfficeWide) {
		return Unit{}, s.refused(ctx, a, action, unit, problem.Forbidden())
	}
	u, err := s.unit(ctx, unit)
	if err != nil {
		return Unit{}, s.refused(ctx, a, action, unit, err)
	}
	priv, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		return Unit{}, err
	}
	pubDER, err := smx509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return Unit{}, err
	}
	privDER, err := smx509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return Unit{}, err
	}
	sum := sm3.Sum(pubDER)
	now := s.d.Now().UTC()
	k := Key{ID: hex.EncodeToString(sum[:8]), Unit: u.ID, Algorithm: "SM2", PublicKey: base64.StdEncoding.EncodeToString(pubDER),
		State: Active, CreatedAt: now, CreatedBy: a.P.UserID}
	sealed, err := s.d.Master.Seal(privDER, aad(k.ID))
	if err != nil {
		return Unit{}, err
	}
	return s.change(ctx, u, func(r *record) (audit.Event, error) {
		details := map[string]any{"keyId": k.ID, "algorithm": k.Algorithm}
		for i := range r.Keys {
			if r.Keys[i].State == Active {
				action = "seal.key.rotate"
				details["previousKeyId"] = r.Keys[i].ID
				r.Keys[i].State, r.Keys[i].RetiredAt, r.Keys[i].RetiredBy = Rotated, &now, a.P.UserID
				r.Keys[i].Reason = in.Reason
				delete(r.Private, r.Keys[i].ID) // a retired key seals no more: its private half goes
			}
		}
		if in.Reason != "" {
			details["reason"] = in.Reason
		}
		r.Keys = append(r.Keys, k)
		if r.Private == nil {
			r.Private = map[string]kek.Sealed{}
		}
		r.Private[k.ID] = sealed
		return event(a, action, u.ID, details), nil
	})
}

// Revoke withdraws one of unit's keys (compromised, unit dissolved): it
// seals no more, and files it sealed before now still verify as revoked.
func (s *Service) Revoke(ctx context.Context, a records.Actor, unit, keyID string, in RevokeInput) (Unit, error) {
	const action = "seal.key.revoke"
	if !a.P.Can(auth.PermSealManage, auth.OfficeWide) {
		return Unit{}, s.refused(ctx, a, action, unit, problem.Forbidden())
	}
	u, err := s.unit(ctx, unit)
	if err != nil {
		return Unit{}, s.refused(ctx, a, action, unit, err)
	}
	now := s.d.Now().UTC()
	out, err := s.change(ctx, u, func(r *record) (audit.Event, error) {
		i := slices.IndexFunc(r.Keys, func(k Key) bool { return k.ID == keyID })
		if i < 0 {
			return audit.Event{}, problem.NotFound("印章密钥不存在", "no such seal key")
		}
		if r.Keys[i].State == Revoked {
			return audit.Event{}, problem.InvalidState("已吊销", Revoked)
		}
		r.Keys[i].State, r.Keys[i].RetiredAt, r.Keys[i].RetiredBy, r.Keys[i].Reason = Revoked, &now, a.P.UserID, in.Reason
		delete(r.Private, keyID)
		return event(a, action, u.ID, map[string]any{"keyId": keyID, "reason": in.Reason}), nil
	})
	if err != nil {
		return Unit{}, s.refused(ctx, a, action, unit, err)
	}
	return out, nil
}

// Keyring is every unit's keys, retired ones included: what Verify needs.
func (s *Service) Keyring(ctx context.Context) (Keyring, error) {
	return LoadKeyring(ctx, s.d.Store)
}

// LoadKeyring reads every unit's public keys from st (the CLI's way, with
// no service).
func LoadKeyring(ctx context.Context, st store.Store) (Keyring, error) {
	recs, err := store.LoadAll[record](ctx, st, Collection)
	if err != nil {
		return nil, err
	}
	ring := Keyring{}
	for _, r := range recs {
		for _, k := range r.Keys {
			ring[k.ID] = k
		}
	}
	return ring, nil
}

// Reseal encrypts every private seal key again under next (the master
// key's rotation, beside auth.Reseal); it answers how many it did.
func Reseal(ctx context.Context, st store.Store, current, next kek.Key) (int, error) {
	n := 0
	docs, err := store.LoadAll[record](ctx, st, Collection)
	if err != nil {
		return 0, err
	}
	for _, r := range docs {
		err := store.Retry(ctx, func(ctx context.Context) error {
			r, version, err := store.Load[record](ctx, st, Collection, r.ID)
			if err != nil {
				return err
			}
			for id, sealed := range r.Private {
				plain, err := current.Open(sealed, aad(id))
				if err != nil {
					return fmt.Errorf("seal: key %s of %s: %w", id, r.ID, err)
				}
				if r.Private[id], err = next.Seal(plain, aad(id)); err != nil {
					return err
				}
				clear(plain)
			}
			data, err := store.Encode(r)
			if err != nil {
				return err
			}
			_, err = st.Put(ctx, Collection, r.ID, data, version)
			return err
		})
		if err != nil {
			return n, err
		}
		n += len(r.Private)
	}
	return n, nil
}

// aad binds a sealed private key to its key id: moved to another key's
// place, it does not open.
func aad(keyID string) []byte { return []byte("zhengwu seal key " + keyID) }

// unitRef is an issuing unit: a root of the org tree.
type unitRef struct{ ID, Name string }

func (s *Service) roots(ctx context.Context) ([]unitRef, error) {
	deps, err := s.d.Departments(ctx)
	if err != nil {
		return nil, err
	}
	var out []unitRef
	for _, d := range deps {
		if d.ParentID == "" {
			out = append(out, unitRef{d.ID, d.Name})
		}
	}
	return out, nil
}

// unit finds an issuing unit by id; any other id is 404.
func (s *Service) unit(ctx context.Context, id string) (unitRef, error) {
	roots, err := s.roots(ctx)
	if err != nil {
		return unitRef{}, err
	}
	for _, u := range roots {
		if u.ID == id {
			return u, nil
		}
	}
	return unitRef{}, problem.NotFound("发文单位不存在（电子印章属于组织机构的顶层单位）", "no such issuing unit (seals belong to the org tree's roots)")
}

// load reads u's record (an empty one, version 0, before its first key).
func (s *Service) load(ctx context.Context, u unitRef) (record, int64, error) {
	r, version, err := store.Load[record](ctx, s.d.Store, Collection, u.ID)
	if errors.Is(err, store.ErrNotFound) {
		return record{Unit: Unit{ID: u.ID, Name: u.Name, Keys: []Key{}}}, 0, nil
	}
	if err != nil {
		return record{}, 0, err
	}
	r.Name = u.Name // the org tree's name is the one in force
	if r.Keys == nil {
		r.Keys = []Key{}
	}
	return r, version, nil
}

// change applies fn to u's record and commits it with its audit entry,
// compare-and-set, retried on a conflict.
func (s *Service) change(ctx context.Context, u unitRef, fn func(*record) (audit.Event, error)) (Unit, error) {
	var out Unit
	err := store.Retry(ctx, func(ctx context.Context) error {
		r, version, err := s.load(ctx, u)
		if err != nil {
			return err
		}
		ev, err := fn(&r)
		if err != nil {
			return err
		}
		data, err := store.Encode(r)
		if err != nil {
			return err
		}
		if _, err := s.d.Trail.Commit(ctx, []store.Write{{Collection: Collection, ID: u.ID, Data: data, ExpectVersion: version}}, ev); err != nil {
			return err
		}
		out = r.Unit
		return nil
	})
	return out, err
}

func event(a records.Actor, action, target string, details map[string]any) audit.Event {
	return audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: action, Target: Collection + "/" + target,
		Outcome: audit.Success, Details: details}
}

// refused records a refusal (its problem code as the reason) and returns
// err; an internal error is returned unrecorded.
func (s *Service) refused(ctx context.Context, a records.Actor, action, target string, err error) error {
	pe := problem.As(err)
	if pe == nil {
		return err
	}
	actor := ""
	if a.P != nil {
		actor = a.P.UserID
	}
	ev := audit.Event{Actor: actor, ActorIP: a.IP, Action: action, Target: Collection + "/" + strings.TrimSpace(target),
		Outcome: audit.Failure, Reason: pe.Code}
	if _, rerr := s.d.Trail.Record(ctx, ev); rerr != nil {
		s.d.Log.Error("seal: recording a refusal", "action", action, "err", rerr)
	}
	return err
}
