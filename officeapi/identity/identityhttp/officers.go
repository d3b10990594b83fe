package identityhttp

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/identity"
	"zhengwu/shared/problem"
)

// officerChanges reads ?state= itself (changeFilter describes it), so
// that a wrong one is refused with the list of states.
func (h *Handlers) officerChanges(c *fiber.Ctx, _ struct{}) (List[identity.OfficerChange], error) {
	state := c.Query("state")
	switch state {
	case "", identity.ChangeRequested, identity.ChangeApproved, identity.ChangeRefused, identity.ChangeExpired, identity.ChangeFailed:
	default:
		return List[identity.OfficerChange]{}, problem.Invalid(problem.Field("state", "状态只能是 requested、approved、refused、expired 或 failed",
			"state must be requested, approved, refused, expired or failed"))
	}
	return listOf(h.svc.OfficerChanges(c.UserContext(), actor(c), state))
}

func (h *Handlers) requestOfficerChange(c *fiber.Ctx, in identity.OfficerChangeRequest) (identity.OfficerChange, error) {
	return h.svc.RequestOfficerChange(c.UserContext(), actor(c), in)
}

// decisionBody is the optional {note} of an approval or refusal.
type decisionBody struct {
	Note string `json:"note" validate:"max=500,nocontrol"`
}

func (h *Handlers) approveOfficerChange(c *fiber.Ctx, in decisionBody) (identity.Decision, error) {
	d, err := h.svc.ApproveOfficerChange(c.UserContext(), actor(c), c.Params("id"), in.Note)
	// The one-time password is in this answer only.
	return noStore(c, d, err)
}

func (h *Handlers) refuseOfficerChange(c *fiber.Ctx, in decisionBody) (identity.Decision, error) {
	return h.svc.RefuseOfficerChange(c.UserContext(), actor(c), c.Params("id"), in.Note)
}

// passwordPolicy is the login and password policy in force, for the
// security administrator's view and the change-password form.
func (h *Handlers) passwordPolicy(*fiber.Ctx, struct{}) (PasswordPolicy, error) {
	p := h.svc.Policy()
	return PasswordPolicy{MinLength: 8, MaxLength: 128, MinClasses: 3,
		MaxAgeDays: int(p.PasswordMaxAge.Hours() / 24), History: p.PasswordHistory,
		LockoutAttempts: p.LockoutAttempts, LockoutWindowMinutes: int(p.LockoutWindow.Minutes()),
		LockoutDurationMinutes: int(p.LockoutDuration.Minutes()), SessionIdleMinutes: int(p.SessionIdle.Minutes()),
		SessionMaxMinutes: int(p.SessionMax.Minutes()), ChangeAfterReset: true, ChangeAtFirstLogin: true, RefusesCommon: true}, nil
}
