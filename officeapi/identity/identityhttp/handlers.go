// Package identityhttp is the thin HTTP layer of identity: it parses and
// validates requests, calls the service, and renders results.
package identityhttp

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/identity"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/httpx"
	"zhengwu/shared/problem"
	"zhengwu/shared/validation"
)

// Handlers serves identity's routes.
type Handlers struct {
	svc    *identity.Service
	tokens *auth.Tokens
	trail  *audit.Trail
}

// userID is the :id of a user route; an id of the wrong form names no
// user (404), so it never reaches the store.
func userID(c *fiber.Ctx) (string, error) {
	id := c.Params("id")
	if !validation.HexID(id) {
		return "", problem.NotFound("用户不存在", "no such user")
	}
	return id, nil
}

func actor(c *fiber.Ctx) identity.Actor {
	return identity.Actor{Principal: auth.Caller(c), IP: c.IP()}
}

type credentials struct {
	Username string `json:"username" validate:"required,max=64"`
	Password string `json:"password" validate:"required,max=256"`
}

func (h *Handlers) login(c *fiber.Ctx) error {
	var in credentials
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	sess, err := h.svc.Login(c.UserContext(), in.Username, in.Password, c.IP())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(sess)
}

type refreshBody struct {
	RefreshToken string `json:"refreshToken" validate:"required,max=256"`
}

func (h *Handlers) refresh(c *fiber.Ctx) error {
	var in refreshBody
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	sess, err := h.svc.Refresh(c.UserContext(), in.RefreshToken, c.IP())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(sess)
}

func (h *Handlers) logout(c *fiber.Ctx) error {
	var in refreshBody
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	if err := h.svc.Logout(c.UserContext(), in.RefreshToken, c.IP()); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handlers) me(c *fiber.Ctx) error {
	m, err := h.svc.Me(c.UserContext(), auth.Caller(c).UserID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(m)
}

func (h *Handlers) roles(c *fiber.Ctx) error {
	return c.JSON(RoleList{Items: identity.Roles()})
}

func (h *Handlers) departments(c *fiber.Ctx) error {
	ds, err := h.svc.Departments(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(DepartmentList{Items: ds, Total: len(ds)})
}

func (h *Handlers) changePassword(c *fiber.Ctx) error {
	var in identity.PasswordChange
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	sess, err := h.svc.ChangePassword(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(sess)
}

func (h *Handlers) createDepartment(c *fiber.Ctx) error {
	var in identity.NewDepartment
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	d, err := h.svc.CreateDepartment(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(d)
}

func (h *Handlers) updateDepartment(c *fiber.Ctx) error {
	id := c.Params("id")
	if !validation.OrgID(id) {
		return problem.NotFound("处室不存在", "no such department")
	}
	var in identity.DepartmentChange
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	d, err := h.svc.UpdateDepartment(c.UserContext(), actor(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(d)
}

func (h *Handlers) posts(c *fiber.Ctx) error {
	ps, err := h.svc.Posts(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(PostList{Items: ps, Total: len(ps)})
}

func (h *Handlers) updatePost(c *fiber.Ctx) error {
	id := c.Params("id")
	if !validation.OrgID(id) {
		return problem.NotFound("岗位不存在", "no such post")
	}
	var in identity.PostChange
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	p, err := h.svc.UpdatePost(c.UserContext(), actor(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

type newPost struct {
	ID           string `json:"id" validate:"required,orgid"`
	Name         string `json:"name" validate:"required,max=64,nocontrol"`
	DepartmentID string `json:"departmentId" validate:"required,orgid"`
}

func (h *Handlers) createPost(c *fiber.Ctx) error {
	var in newPost
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	p, err := h.svc.CreatePost(c.UserContext(), actor(c), identity.Post(in))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}

func (h *Handlers) listUsers(c *fiber.Ctx) error {
	us, err := h.svc.ListUsers(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(UserList{Items: us, Total: len(us)})
}

func (h *Handlers) createUser(c *fiber.Ctx) error {
	var in identity.NewUser
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	u, err := h.svc.CreateUser(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	c.Location("/api/office/v1/users/" + u.ID)
	return c.Status(fiber.StatusCreated).JSON(u.Public())
}

func (h *Handlers) updateUser(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	var in identity.UserChange
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	u, err := h.svc.UpdateUser(c.UserContext(), actor(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(u.Public())
}

type passwordBody struct {
	Password string `json:"password" validate:"required,max=128"`
}

func (h *Handlers) setPassword(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	var in passwordBody
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	if err := h.svc.SetPassword(c.UserContext(), actor(c), id, in.Password); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type clearanceBody struct {
	Clearance classification.Level `json:"clearance" validate:"required,classification"`
}

func (h *Handlers) setClearance(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	var in clearanceBody
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	u, err := h.svc.SetClearance(c.UserContext(), actor(c), id, in.Clearance)
	if err != nil {
		return err
	}
	return c.JSON(u.Public())
}

func (h *Handlers) listGrants(c *fiber.Ctx) error {
	p := auth.Caller(c)
	if p.UserID != c.Params("id") && !p.Can(identity.PermGrantManage, auth.OfficeWide) && !p.Can(identity.PermAuditRead, auth.OfficeWide) {
		return problem.Forbidden()
	}
	// An unknown user is a 404, not an empty list (the check comes after
	// the permission one, so it tells nothing to who may not ask).
	id, err := userID(c)
	if err != nil {
		return err
	}
	if _, err := h.svc.User(c.UserContext(), id); err != nil {
		return err
	}
	gs, err := h.svc.Grants(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(GrantList{Items: gs, Total: len(gs)})
}

type grantBody struct {
	Role         string `json:"role" validate:"required,max=32"`
	DepartmentID string `json:"departmentId" validate:"omitempty,max=64"`
}

func (h *Handlers) grant(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	var in grantBody
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	g, err := h.svc.GrantRole(c.UserContext(), actor(c), id, in.Role, in.DepartmentID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(g)
}

func (h *Handlers) revoke(c *fiber.Ctx) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	grantID := c.Params("grantId")
	if !validation.HexID(grantID) {
		return problem.NotFound("授权不存在", "no such grant")
	}
	if err := h.svc.RevokeGrant(c.UserContext(), actor(c), id, grantID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handlers) auditList(c *fiber.Ctx) error {
	q, err := auditQuery(c)
	if err != nil {
		return err
	}
	page, err := httpx.ParsePage(c, 50, 500)
	if err != nil {
		return err
	}
	if page.Page > 1 {
		// The trail pages by sequence (after), which stays right while
		// entries are appended; a page number would not.
		return problem.Invalid(problem.Field("page", "审计日志请用 after（上一页最后一条的序号）翻页", "page through the audit trail with after (the last entry's seq)"))
	}
	items, next, err := h.trail.Query(c.UserContext(), q.after, q.filter, page.Size, auditScanLimit)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(AuditPage{Items: items, Next: next})
}

func (h *Handlers) auditVerify(c *fiber.Ctx) error {
	r, err := h.trail.Verify(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(r)
}
