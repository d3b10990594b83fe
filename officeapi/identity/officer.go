package identity

import (
	"context"
	"slices"
	"sort"
	"time"

	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
	"zhengwu/shared/validation"
)

// The separation of the three officers (三员分立) on accounts: no officer
// acts on its own account or rights (it changes its own password only by
// ChangePassword, with the old one), nor on another officer's account.
// A change to an officer's account is an OfficerChange: one officer
// requests it, a second one — of another officer role, and not the
// account's holder — approves it before it takes effect. The CLI on the
// server (`zhengwu admin reset-password`) stays the break-glass path.

var (
	errOwnAccount = problem.New(403, "own_account",
		"不能修改自己的账号或权限（修改本人密码请用“修改密码”）",
		"you may not change your own account or rights (change your own password with the change-password form)")
	errOfficerAccount = problem.New(403, "officer_account",
		"三员账号的变更须经另一名三员审批：请提交三员账号变更申请",
		"an officer's account is changed only through a request that another officer approves")
)

// guardAccount refuses an officer's direct change to its own account or
// to another officer's. A nil principal (the seed, the CLI) passes.
func (s *Service) guardAccount(ctx context.Context, by Actor, targetID string) error {
	if by.Principal == nil {
		return nil
	}
	if by.Principal.UserID == targetID {
		return errOwnAccount
	}
	role, err := s.officerRole(ctx, targetID)
	if err != nil {
		return err
	}
	if role != "" {
		return errOfficerAccount
	}
	return nil
}

// officerRole is the key of the officer role the user holds ("" for none).
func (s *Service) officerRole(ctx context.Context, userID string) (string, error) {
	gs, err := s.Grants(ctx, userID)
	if err != nil {
		return "", err
	}
	for _, g := range gs {
		if r, ok := RoleByKey(g.Role); ok && r.Officer {
			return r.Key, nil
		}
	}
	return "", nil
}

// actingOfficer is the officer role by acts in: 403 for a caller that
// holds none (a grant of an officer's permission alone does not make one).
func (s *Service) actingOfficer(ctx context.Context, by Actor) (string, error) {
	role, err := s.officerRole(ctx, by.Principal.UserID)
	if err != nil {
		return "", err
	}
	if role == "" {
		return "", problem.Forbidden()
	}
	return role, nil
}

// Kinds of OfficerChange.
const (
	ChangePasswordReset = "password_reset" // a one-time password, changed at the next login
	ChangeDisable       = "disable"
	ChangeEnable        = "enable"
	ChangeUnlock        = "unlock"
	ChangeDisplayName   = "display_name"
	ChangeClearance     = "clearance"
	ChangeRevokeGrant   = "revoke_grant"
)

// States of an OfficerChange.
const (
	ChangeRequested = "requested"
	ChangeApproved  = "approved"
	ChangeRefused   = "refused"
	ChangeExpired   = "expired" // not decided within OfficerChangeTTL
	ChangeFailed    = "failed"  // approved, but could not be applied (Note says why)
)

// OfficerChangeTTL is how long a request waits for a decision.
const OfficerChangeTTL = 72 * time.Hour

// changePerm is the permission that requests each kind: the account's
// owner role (系统管理员) for the account, the security administrator's for
// rights.
var changePerm = map[string]auth.Permission{
	ChangePasswordReset: PermUserManage, ChangeDisable: PermUserManage, ChangeEnable: PermUserManage,
	ChangeUnlock: PermUserManage, ChangeDisplayName: PermUserManage,
	ChangeClearance: PermGrantManage, ChangeRevokeGrant: PermGrantManage,
}

// OfficerChange is a pending (or decided) change to an officer's account.
type OfficerChange struct {
	ID       string `json:"id"`
	UserID   string `json:"userId"`
	Username string `json:"username"`
	Kind     string `json:"kind"`
	// The change's value, by kind.
	DisplayName string               `json:"displayName,omitempty"`
	Clearance   classification.Level `json:"clearance,omitempty"`
	GrantID     string               `json:"grantId,omitempty"`
	Reason      string               `json:"reason"`

	State           string    `json:"state"`
	RequestedBy     string    `json:"requestedBy"`
	RequestedByRole string    `json:"requestedByRole"`
	RequestedAt     time.Time `json:"requestedAt"`
	ExpiresAt       time.Time `json:"expiresAt"`
	DecidedBy       string    `json:"decidedBy,omitempty"`
	DecidedAt       time.Time `json:"decidedAt,omitzero"`
	Note            string    `json:"note,omitempty"`
}

// OfficerChangeRequest is what an officer sends to request a change.
type OfficerChangeRequest struct {
	UserID      string               `json:"userId" validate:"required,hexid"`
	Kind        string               `json:"kind" validate:"required,oneof=password_reset disable enable unlock display_name clearance revoke_grant"`
	DisplayName string               `json:"displayName" validate:"omitempty,max=64,nocontrol"`
	Clearance   classification.Level `json:"clearance" validate:"omitempty,classification"`
	GrantID     string               `json:"grantId" validate:"omitempty,hexid"`
	Reason      string               `json:"reason" validate:"required,max=500,nocontrol"`
}

// Decision is what approving or refusing returns. TemporaryPassword is
// the one-time password of an approved reset: shown once, to the
// approver, who hands it to the account's holder; only its hash is kept,
// and the holder must change it at the next login.
type Decision struct {
	Change            OfficerChange `json:"change"`
	TemporaryPassword string        `json:"temporaryPassword,omitempty"`
}

// RequestOfficerChange records a request to change another officer's
// account; it takes effect when a second officer approves it.
func (s *Service) RequestOfficerChange(ctx context.Context, by Actor, in OfficerChangeRequest) (OfficerChange, error) {
	perm, ok := changePerm[in.Kind]
	if !ok {
		return OfficerChange{}, problem.Invalid(problem.Field("kind", "不支持的变更类型", "unknown kind of change"))
	}
	if by.Principal == nil || !by.Principal.Can(perm, auth.OfficeWide) {
		return OfficerChange{}, problem.Forbidden()
	}
	myRole, err := s.actingOfficer(ctx, by)
	if err != nil {
		return OfficerChange{}, err
	}
	if in.UserID == by.Principal.UserID {
		return OfficerChange{}, errOwnAccount
	}
	target, err := s.User(ctx, in.UserID)
	if err != nil {
		return OfficerChange{}, err
	}
	if role, err := s.officerRole(ctx, target.ID); err != nil {
		return OfficerChange{}, err
	} else if role == "" {
		return OfficerChange{}, problem.New(409, "not_officer", "该账号不是三员账号，请直接修改", "not an officer's account: change it directly")
	}
	switch in.Kind {
	case ChangeDisplayName:
		if in.DisplayName == "" {
			return OfficerChange{}, problem.Invalid(problem.Field("displayName", "请填写新姓名", "the new name is required"))
		}
	case ChangeClearance:
		if err := validation.Classification("clearance", in.Clearance); err != nil {
			return OfficerChange{}, err
		}
	case ChangeRevokeGrant:
		gs, err := s.Grants(ctx, target.ID)
		if err != nil {
			return OfficerChange{}, err
		}
		if !slices.ContainsFunc(gs, func(g Grant) bool { return g.ID == in.GrantID }) {
			return OfficerChange{}, problem.Invalid(problem.Field("grantId", "该账号没有这项授权", "the account holds no such grant"))
		}
	}
	now := s.now()
	ch := OfficerChange{ID: newID(), UserID: target.ID, Username: target.Username, Kind: in.Kind, Reason: in.Reason,
		State: ChangeRequested, RequestedBy: by.Principal.UserID, RequestedByRole: myRole, RequestedAt: now,
		ExpiresAt: now.Add(OfficerChangeTTL)}
	switch in.Kind {
	case ChangeDisplayName:
		ch.DisplayName = in.DisplayName
	case ChangeClearance:
		ch.Clearance = in.Clearance
	case ChangeRevokeGrant:
		ch.GrantID = in.GrantID
	}
	if _, err := audit.Create(ctx, s.trail, colOfficerChanges, ch.ID, ch, audit.Event{Actor: by.id(), ActorIP: by.IP,
		Action: "officer.change.request", Target: target.ID, Outcome: audit.Success, Reason: in.Reason,
		Details: map[string]any{"changeId": ch.ID, "kind": ch.Kind}}); err != nil {
		return OfficerChange{}, err
	}
	return ch, nil
}

// isOfficer reports whether p holds any officer's permission office-wide.
func isOfficer(p *auth.Principal) bool {
	return p.Can(PermUserManage, auth.OfficeWide) || p.Can(PermGrantManage, auth.OfficeWide) || p.Can(PermAuditRead, auth.OfficeWide)
}

// OfficerChanges lists the requests, newest first; state filters ("" for
// all). Requests past their time show as expired. For the three officers.
func (s *Service) OfficerChanges(ctx context.Context, by Actor, state string) ([]OfficerChange, error) {
	if by.Principal == nil || !isOfficer(by.Principal) {
		return nil, problem.Forbidden()
	}
	all, err := store.LoadAll[OfficerChange](ctx, s.store, colOfficerChanges)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := []OfficerChange{}
	for _, ch := range all {
		if ch.State == ChangeRequested && now.After(ch.ExpiresAt) {
			ch.State = ChangeExpired
		}
		if state == "" || ch.State == state {
			out = append(out, ch)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].RequestedAt.After(out[j].RequestedAt) })
	return out, nil
}

// decide moves a requested change to state after checking that the
// decider is a second officer: not the requester, not the account's
// holder, and of another officer role than the requester.
func (s *Service) decide(ctx context.Context, by Actor, id, state, note string) (OfficerChange, error) {
	if by.Principal == nil || !isOfficer(by.Principal) {
		return OfficerChange{}, problem.Forbidden()
	}
	myRole, err := s.actingOfficer(ctx, by)
	if err != nil {
		return OfficerChange{}, err
	}
	now := s.now()
	var expired bool
	// The decision and its audit entry are one write.
	ch, _, err := audit.Update(ctx, s.trail, colOfficerChanges, id, func(ch *OfficerChange) (audit.Event, error) {
		expired = false
		ev := audit.Event{Actor: by.id(), ActorIP: by.IP, Target: ch.UserID, Outcome: audit.Success,
			Details: map[string]any{"changeId": ch.ID, "kind": ch.Kind}}
		switch {
		case ch.State != ChangeRequested:
			return ev, problem.New(409, "invalid_state", "该申请已处理（"+ch.State+"）", "the request was already decided: "+ch.State).
				With("state", ch.State)
		case by.Principal.UserID == ch.RequestedBy:
			return ev, problem.New(403, "same_officer", "申请人不能审批自己的申请，须由另一名三员审批", "the requester may not decide its own request")
		case by.Principal.UserID == ch.UserID:
			return ev, problem.New(403, "own_account", "不能审批针对自己账号的申请", "you may not decide a request about your own account")
		case myRole == ch.RequestedByRole:
			return ev, problem.New(403, "same_officer", "须由另一类三员审批（申请人同为"+roleName(myRole)+"）",
				"a request is decided by an officer of another role than the requester's")
		case now.After(ch.ExpiresAt):
			ch.State, ch.DecidedAt, expired = ChangeExpired, now, true
			ev.Action = "officer.change.expire"
			return ev, nil
		}
		ch.State, ch.DecidedBy, ch.DecidedAt, ch.Note = state, by.Principal.UserID, now, note
		ev.Action, ev.Reason = "officer.change.refuse", note
		if state == ChangeApproved {
			ev.Action = "officer.change.approve"
		}
		return ev, nil
	})
	if err != nil {
		return ch, missing(err, "申请不存在", "no such request")
	}
	if expired {
		return ch, problem.New(409, "expired", "该申请已过期，请重新提交", "the request has expired; request it again").With("state", ChangeExpired)
	}
	return ch, nil
}

func roleName(key string) string {
	if r, ok := RoleByKey(key); ok {
		return r.Name
	}
	return key
}

// RefuseOfficerChange refuses a request (a second officer, as approving).
func (s *Service) RefuseOfficerChange(ctx context.Context, by Actor, id, note string) (Decision, error) {
	ch, err := s.decide(ctx, by, id, ChangeRefused, note)
	if err != nil {
		return Decision{}, err
	}
	return Decision{Change: ch}, nil
}

// ApproveOfficerChange approves a request and applies it, in the
// approver's name (the audit entry of the change names the request).
func (s *Service) ApproveOfficerChange(ctx context.Context, by Actor, id, note string) (Decision, error) {
	ch, err := s.decide(ctx, by, id, ChangeApproved, note)
	if err != nil {
		return Decision{}, err
	}
	d := Decision{Change: ch}
	details := func() map[string]any {
		return map[string]any{"officerChange": ch.ID, "requestedBy": ch.RequestedBy}
	}
	var applyErr error
	switch ch.Kind {
	case ChangePasswordReset:
		var u User
		if u, applyErr = s.User(ctx, ch.UserID); applyErr == nil {
			d.TemporaryPassword = temporaryPassword(u.Username)
			applyErr = s.setPassword(ctx, by, u, d.TemporaryPassword, audit.Event{Details: details()})
		}
	case ChangeDisable, ChangeEnable:
		disabled := ch.Kind == ChangeDisable
		_, applyErr = s.updateUser(ctx, by, ch.UserID, UserChange{Disabled: &disabled}, details())
	case ChangeUnlock:
		_, applyErr = s.updateUser(ctx, by, ch.UserID, UserChange{Unlock: true}, details())
	case ChangeDisplayName:
		name := ch.DisplayName
		_, applyErr = s.updateUser(ctx, by, ch.UserID, UserChange{DisplayName: &name}, details())
	case ChangeClearance:
		_, applyErr = s.setClearance(ctx, by, ch.UserID, ch.Clearance, details())
	case ChangeRevokeGrant:
		applyErr = s.revokeGrant(ctx, by, ch.UserID, ch.GrantID, details())
	}
	if applyErr != nil {
		d.TemporaryPassword = ""
		failed, _, err := audit.Update(ctx, s.trail, colOfficerChanges, ch.ID, func(x *OfficerChange) (audit.Event, error) {
			x.State, x.Note = ChangeFailed, applyErr.Error()
			return audit.Event{Actor: by.id(), ActorIP: by.IP, Action: "officer.change.apply", Target: ch.UserID,
				Outcome: audit.Failure, Reason: applyErr.Error(), Details: map[string]any{"changeId": ch.ID, "kind": ch.Kind}}, nil
		})
		if err != nil {
			return d, err
		}
		d.Change = failed
		return d, applyErr
	}
	return d, nil
}
