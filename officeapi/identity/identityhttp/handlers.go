// Package identityhttp is the thin HTTP layer of identity: it parses and
// validates requests, calls the service, and renders results. Each
// handler is an openapi.Handle function: it takes what the route decodes
// and returns what it answers.
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

// pathID refuses a path parameter of the wrong form as 404 (it names
// nothing, so it never reaches the store), before the body is read.
func pathID(name string, valid func(string) bool, zh, en string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !valid(c.Params(name)) {
			return problem.NotFound(zh, en)
		}
		return c.Next()
	}
}

// The path checks of identity's routes.
var (
	userPath       = pathID("id", validation.HexID, "用户不存在", "no such user")
	departmentPath = pathID("id", validation.OrgID, "处室不存在", "no such department")
	postPath       = pathID("id", validation.OrgID, "岗位不存在", "no such post")
	grantPath      = pathID("grantId", validation.HexID, "授权不存在", "no such grant")
	requestPath    = pathID("id", validation.HexID, "申请不存在", "no such request")
)

func actor(c *fiber.Ctx) identity.Actor {
	return identity.Actor{Principal: auth.Caller(c), IP: c.IP()}
}

// noStore marks an answer that holds a credential (a session, a one-time
// password): no cache may keep it.
func noStore[T any](c *fiber.Ctx, v T, err error) (T, error) {
	if err == nil {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	return v, err
}

type credentials struct {
	Username string `json:"username" validate:"required,max=64"`
	Password string `json:"password" validate:"required,max=256"`
}

func (h *Handlers) login(c *fiber.Ctx, in credentials) (identity.Session, error) {
	sess, err := h.svc.Login(c.UserContext(), in.Username, in.Password, c.IP())
	return noStore(c, sess, err)
}

type refreshBody struct {
	RefreshToken string `json:"refreshToken" validate:"required,max=256"`
}

func (h *Handlers) refresh(c *fiber.Ctx, in refreshBody) (identity.Session, error) {
	sess, err := h.svc.Refresh(c.UserContext(), in.RefreshToken, c.IP())
	return noStore(c, sess, err)
}

func (h *Handlers) logout(c *fiber.Ctx, in refreshBody) (struct{}, error) {
	return struct{}{}, h.svc.Logout(c.UserContext(), in.RefreshToken, c.IP())
}

func (h *Handlers) me(c *fiber.Ctx, _ struct{}) (identity.Me, error) {
	return h.svc.Me(c.UserContext(), auth.Caller(c).UserID)
}

func (h *Handlers) roles(*fiber.Ctx, struct{}) (RoleList, error) {
	return RoleList{Items: identity.Roles()}, nil
}

func (h *Handlers) departments(c *fiber.Ctx, _ struct{}) (List[identity.Department], error) {
	return listOf(h.svc.Departments(c.UserContext()))
}

func (h *Handlers) changePassword(c *fiber.Ctx, in identity.PasswordChange) (identity.Session, error) {
	sess, err := h.svc.ChangePassword(c.UserContext(), actor(c), in)
	return noStore(c, sess, err)
}

func (h *Handlers) createDepartment(c *fiber.Ctx, in identity.NewDepartment) (identity.Department, error) {
	return h.svc.CreateDepartment(c.UserContext(), actor(c), in)
}

func (h *Handlers) updateDepartment(c *fiber.Ctx, in identity.DepartmentChange) (identity.Department, error) {
	return h.svc.UpdateDepartment(c.UserContext(), actor(c), c.Params("id"), in)
}

func (h *Handlers) posts(c *fiber.Ctx, _ struct{}) (List[identity.Post], error) {
	return listOf(h.svc.Posts(c.UserContext()))
}

func (h *Handlers) people(c *fiber.Ctx, _ struct{}) (List[identity.Person], error) {
	return listOf(h.svc.Directory(c.UserContext()))
}

func (h *Handlers) updatePost(c *fiber.Ctx, in identity.PostChange) (identity.Post, error) {
	return h.svc.UpdatePost(c.UserContext(), actor(c), c.Params("id"), in)
}

type newPost struct {
	ID           string `json:"id" validate:"required,orgid"`
	Name         string `json:"name" validate:"required,max=64,nocontrol"`
	DepartmentID string `json:"departmentId" validate:"required,orgid"`
}

func (h *Handlers) createPost(c *fiber.Ctx, in newPost) (identity.Post, error) {
	return h.svc.CreatePost(c.UserContext(), actor(c), identity.Post(in))
}

func (h *Handlers) listUsers(c *fiber.Ctx, _ struct{}) (UserList, error) {
	l, err := listOf(h.svc.ListUsers(c.UserContext(), actor(c)))
	return UserList(l), err
}

func (h *Handlers) createUser(c *fiber.Ctx, in identity.NewUser) (identity.PublicUser, error) {
	u, err := h.svc.CreateUser(c.UserContext(), actor(c), in)
	if err != nil {
		return identity.PublicUser{}, err
	}
	c.Location("/api/office/v1/users/" + u.ID)
	return u.Public(), nil
}

// publicUser is the answer of a change to an account: what anyone may see of it.
func publicUser(u identity.User, err error) (identity.PublicUser, error) {
	if err != nil {
		return identity.PublicUser{}, err
	}
	return u.Public(), nil
}

func (h *Handlers) updateUser(c *fiber.Ctx, in identity.UserChange) (identity.PublicUser, error) {
	return publicUser(h.svc.UpdateUser(c.UserContext(), actor(c), c.Params("id"), in))
}

type passwordBody struct {
	Password string `json:"password" validate:"required,max=128"`
}

func (h *Handlers) setPassword(c *fiber.Ctx, in passwordBody) (struct{}, error) {
	return struct{}{}, h.svc.SetPassword(c.UserContext(), actor(c), c.Params("id"), in.Password)
}

type clearanceBody struct {
	Clearance classification.Level `json:"clearance" validate:"required,classification"`
}

func (h *Handlers) setClearance(c *fiber.Ctx, in clearanceBody) (identity.PublicUser, error) {
	return publicUser(h.svc.SetClearance(c.UserContext(), actor(c), c.Params("id"), in.Clearance))
}

// grantReaders lets through the account's owner and the office-wide
// security administrators and auditors: who may read an account's grants.
// It runs before the id is checked, so that it tells nothing to who may
// not ask.
func grantReaders(c *fiber.Ctx) error {
	p := auth.Caller(c)
	if p.UserID != c.Params("id") && !p.Can(identity.PermGrantManage, auth.OfficeWide) && !p.Can(identity.PermAuditRead, auth.OfficeWide) {
		return problem.Forbidden()
	}
	return c.Next()
}

func (h *Handlers) listGrants(c *fiber.Ctx, _ struct{}) (List[identity.Grant], error) {
	// An unknown user is a 404, not an empty list.
	id := c.Params("id")
	if _, err := h.svc.User(c.UserContext(), id); err != nil {
		return List[identity.Grant]{}, err
	}
	return listOf(h.svc.Grants(c.UserContext(), id))
}

type grantBody struct {
	Role         string `json:"role" validate:"required,max=32"`
	DepartmentID string `json:"departmentId" validate:"omitempty,max=64"`
}

func (h *Handlers) grant(c *fiber.Ctx, in grantBody) (identity.Grant, error) {
	return h.svc.GrantRole(c.UserContext(), actor(c), c.Params("id"), in.Role, in.DepartmentID)
}

func (h *Handlers) revoke(c *fiber.Ctx, _ struct{}) (struct{}, error) {
	return struct{}{}, h.svc.RevokeGrant(c.UserContext(), actor(c), c.Params("id"), c.Params("grantId"))
}

func (h *Handlers) auditList(c *fiber.Ctx, _ struct{}) (AuditPage, error) {
	q, err := auditQuery(c)
	if err != nil {
		return AuditPage{}, err
	}
	page, err := httpx.ParsePage(c, 50, 500)
	if err != nil {
		return AuditPage{}, err
	}
	if page.Page > 1 {
		// The trail pages by sequence (after), which stays right while
		// entries are appended; a page number would not.
		return AuditPage{}, problem.Invalid(problem.Field("page", "审计日志请用 after（上一页最后一条的序号）翻页", "page through the audit trail with after (the last entry's seq)"))
	}
	items, next, err := h.trail.Query(c.UserContext(), q.after, q.filter, page.Size, auditScanLimit)
	return AuditPage{Items: items, Next: next}, err
}

func (h *Handlers) auditVerify(c *fiber.Ctx, _ struct{}) (audit.Report, error) {
	return h.trail.Verify(c.UserContext())
}
