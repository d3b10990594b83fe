package info

import (
	"context"
	"errors"
	"regexp"

	"github.com/google/uuid"

	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// RuleInput is a new auto-publish rule.
type RuleInput struct {
	Department string `json:"department" validate:"required,max=64"`
	Kind       string `json:"kind" validate:"required,oneof=notice briefing update internal"`
	Channel    string `json:"channel" validate:"required,max=64"`
}

// keyRe is the form of department ids and portal channel keys: lower-case
// letters, digits, - and _ (no paths, no control characters).
var keyRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// ValidChannel reports whether s is a well-formed portal channel key.
func ValidChannel(s string) bool { return keyRe.MatchString(s) }

// Rules lists the auto-publish rules (a small reference set).
func (s *Service) Rules(ctx context.Context) ([]Rule, error) {
	return store.LoadAll[Rule](ctx, s.store, RulesCollection)
}

func (s *Service) mayManageRules(ctx context.Context, a Actor, action, target string) error {
	if a.P.Can(PermPolicy, auth.OfficeWide) {
		return nil
	}
	return s.items.Refused(ctx, a, action, target, problem.Forbidden())
}

// AddRule creates a rule (policy.manage). The department must exist and
// the channel be a well-formed key.
func (s *Service) AddRule(ctx context.Context, a Actor, in RuleInput) (Rule, error) {
	if err := s.mayManageRules(ctx, a, "info.rule.create", RulesCollection); err != nil {
		return Rule{}, err
	}
	if !keyRe.MatchString(in.Department) {
		return Rule{}, problem.Invalid(problem.Field("department", "处室标识只能由小写字母、数字、-和_组成", "department must be a lowercase key"))
	}
	if s.deps.Department != nil {
		ok, err := s.deps.Department(ctx, in.Department)
		if err != nil {
			return Rule{}, err
		}
		if !ok {
			return Rule{}, problem.Invalid(problem.Field("department", "处室不存在", "no such department"))
		}
	}
	if !keyRe.MatchString(in.Channel) {
		return Rule{}, problem.Invalid(problem.Field("channel", "栏目标识只能由小写字母、数字、-和_组成", "channel must be a lowercase key"))
	}
	r := Rule{ID: uuid.NewString(), Department: in.Department, Kind: in.Kind, Channel: in.Channel,
		CreatedBy: a.P.UserID, CreatedAt: s.items.Now()}
	if _, err := audit.Create(ctx, s.trail, RulesCollection, r.ID, r, audit.Event{Actor: a.P.UserID, ActorIP: a.IP,
		Action: "info.rule.create", Target: RulesCollection + "/" + r.ID, Outcome: audit.Success,
		Details: map[string]any{"department": r.Department, "kind": r.Kind, "channel": r.Channel}}); err != nil {
		return Rule{}, err
	}
	return r, nil
}

// DeleteRule removes a rule (policy.manage).
func (s *Service) DeleteRule(ctx context.Context, a Actor, id string) error {
	target := RulesCollection + "/" + id
	if err := s.mayManageRules(ctx, a, "info.rule.delete", target); err != nil {
		return err
	}
	// The deletion itself is a store delete, which PutAll cannot carry:
	// record first, so that no rule disappears without an entry; a failed
	// delete after it leaves an entry for a deletion that did not happen,
	// which the next attempt repeats.
	if _, _, err := store.Load[Rule](ctx, s.store, RulesCollection, id); err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
			return problem.NotFound("规则不存在", "no such rule")
		}
		return err
	}
	if _, err := s.trail.Record(ctx, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: "info.rule.delete",
		Target: target, Outcome: audit.Success}); err != nil {
		return err
	}
	if _, err := s.store.Delete(ctx, RulesCollection, id, store.AnyVersion); err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
			return problem.NotFound("规则不存在", "no such rule")
		}
		return err
	}
	return nil
}
