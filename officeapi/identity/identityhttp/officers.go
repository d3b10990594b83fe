package identityhttp

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/identity"
	"zhengwu/shared/httpx"
	"zhengwu/shared/problem"
	"zhengwu/shared/validation"
)

func (h *Handlers) officerChanges(c *fiber.Ctx) error {
	state := c.Query("state")
	switch state {
	case "", identity.ChangeRequested, identity.ChangeApproved, identity.ChangeRefused, identity.ChangeExpired, identity.ChangeFailed:
	default:
		return problem.Invalid(problem.Field("state", "状态只能是 requested、approved、refused、expired 或 failed",
			"state must be requested, approved, refused, expired or failed"))
	}
	list, err := h.svc.OfficerChanges(c.UserContext(), actor(c), state)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(OfficerChangeList{Items: list, Total: len(list)})
}

func (h *Handlers) requestOfficerChange(c *fiber.Ctx) error {
	var in identity.OfficerChangeRequest
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	ch, err := h.svc.RequestOfficerChange(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(ch)
}

type decisionBody struct {
	Note string `json:"note" validate:"max=500,nocontrol"`
}

// decision binds the optional {note} of an approval or refusal.
func decision(c *fiber.Ctx) (string, string, error) {
	id := c.Params("id")
	if !validation.HexID(id) {
		return "", "", problem.NotFound("申请不存在", "no such request")
	}
	var in decisionBody
	if len(c.Body()) > 0 {
		if err := httpx.Bind(c, &in); err != nil {
			return "", "", err
		}
	}
	return id, in.Note, nil
}

func (h *Handlers) approveOfficerChange(c *fiber.Ctx) error {
	id, note, err := decision(c)
	if err != nil {
		return err
	}
	d, err := h.svc.ApproveOfficerChange(c.UserContext(), actor(c), id, note)
	if err != nil {
		return err
	}
	// The one-time password is in this answer only.
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(d)
}

func (h *Handlers) refuseOfficerChange(c *fiber.Ctx) error {
	id, note, err := decision(c)
	if err != nil {
		return err
	}
	d, err := h.svc.RefuseOfficerChange(c.UserContext(), actor(c), id, note)
	if err != nil {
		return err
	}
	return c.JSON(d)
}

// passwordPolicy is the login and password policy in force, for the
// security administrator's view and the change-password form.
func (h *Handlers) passwordPolicy(c *fiber.Ctx) error {
	p := h.svc.Policy()
	return c.JSON(PasswordPolicy{MinLength: 8, MaxLength: 128, MinClasses: 3,
		MaxAgeDays: int(p.PasswordMaxAge.Hours() / 24), History: p.PasswordHistory,
		LockoutAttempts: p.LockoutAttempts, LockoutWindowMinutes: int(p.LockoutWindow.Minutes()),
		LockoutDurationMinutes: int(p.LockoutDuration.Minutes()), SessionIdleMinutes: int(p.SessionIdle.Minutes()),
		SessionMaxMinutes: int(p.SessionMax.Minutes()), ChangeAfterReset: true, ChangeAtFirstLogin: true, RefusesCommon: true})
}
