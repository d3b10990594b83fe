// Package meetinghttp is the thin HTTP layer of meetings (会务): routes
// under /api/office/v1/meetings, each with its description.
package meetinghttp

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/layout"
	"zhengwu/officeapi/meeting"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
	"zhengwu/shared/problem"
)

// Routes are the meeting routes under /api/office/v1; fonts are the
// office's document fonts (the seat chart and the name cards).
func Routes(svc *meeting.Service, tokens *auth.Tokens, fonts layout.Fonts) []openapi.Route {
	signedIn := tokens.Required()
	op := func(method, path, summary string, ok int, perm auth.Permission, scope string, errs ...int) openapi.Op {
		return openapi.Op{Method: method, Path: path, Summary: summary, Tag: "meeting", Auth: true, OK: ok,
			Perm: perm, Scope: scope, Collection: meeting.Collection, Errors: append([]int{400, 401}, errs...)}
	}
	actor := func(c *fiber.Ctx) records.Actor { return records.Actor{P: auth.Caller(c), IP: c.IP()} }
	organise, none := auth.PermMeetingOrganise, auth.Permission{}
	// step is a POST on one meeting answering the meeting.
	step := func(path, summary string, perm auth.Permission, scope string, optional bool,
		fn func(c *fiber.Ctx, id string) (meeting.View, error)) openapi.Route {
		o := op("POST", path, summary, 200, perm, scope, 403, 404, 409)
		o.BodyOptional = optional
		return openapi.Handle(o, func(c *fiber.Ctx, _ struct{}) (meeting.View, error) { return fn(c, c.Params("id")) }, signedIn)
	}
	routes := []openapi.Route{
		openapi.Handle(op("GET", "/meetings/rooms", "会议室：容量、设备、座位布局（主席台各排座位数，台下各区排数与每排座位数）", 200, none, ""),
			func(c *fiber.Ctx, _ struct{}) (meeting.RoomList, error) { return svc.Rooms(c.UserContext()) }, signedIn),
		openapi.Handle(op("POST", "/meetings/rooms", "新增或修改会议室（meeting.room.manage，全办；id 为空时新增）", 200,
			auth.PermMeetingRoomManage, "office", 403, 409),
			func(c *fiber.Ctx, in meeting.RoomInput) (meeting.Room, error) {
				return svc.SaveRoom(c.UserContext(), actor(c), in.ID, in)
			}, signedIn),
		openapi.Handle(op("POST", "/meetings/conflicts", "预订前检查冲突：会议室占用，重点参会人的其他会议与领导活动（不预订）", 200,
			organise, "any", 403, 404),
			func(c *fiber.Ctx, in meeting.Input) (meeting.CheckResult, error) {
				return svc.Check(c.UserContext(), actor(c), in)
			}, signedIn),
		openapi.Handle(op("POST", "/meetings", "预订会议（meeting.organise；会议室冲突一律 409 meeting_conflict，"+
			"重点参会人冲突除非 allowAttendeeConflicts）；参会人桌面收到会议通知", 201, organise, "any", 403, 409),
			func(c *fiber.Ctx, in meeting.Input) (meeting.View, error) {
				return svc.Book(c.UserContext(), actor(c), in)
			}, signedIn),
		openapi.Handle(op("GET", "/meetings", "会议列表（本人可见的；scope=mine 本人参加的，organised 本人组织的），按开始时间排序", 200, none, "", 503),
			func(c *fiber.Ctx, q meeting.ListQuery) (meeting.Page, error) {
				return svc.List(c.UserContext(), auth.Caller(c), q)
			}, signedIn),
		openapi.Handle(op("GET", "/meetings/{id}", "会议详情（组织者、参会人、受邀处室的组织者可见；涉密材料仅知悉范围内可见；签到码仅组织者可见）", 200, none, "", 404),
			func(c *fiber.Ctx, _ struct{}) (meeting.View, error) {
				return svc.Get(c.UserContext(), auth.Caller(c), c.Params("id"))
			}, signedIn),
		step("/meetings/{id}/cancel", "取消会议（组织者）", organise, "department", true,
			func(c *fiber.Ctx, id string) (meeting.View, error) { return svc.Cancel(c.UserContext(), actor(c), id) }),
		step("/meetings/{id}/finish", "会议结束（组织者）", organise, "department", true,
			func(c *fiber.Ctx, id string) (meeting.View, error) { return svc.Finish(c.UserContext(), actor(c), id) }),
		step("/meetings/{id}/read", "已阅会议通知（参会人本人；回执）", none, "", true,
			func(c *fiber.Ctx, id string) (meeting.View, error) { return svc.Read(c.UserContext(), actor(c), id) }),
		step("/meetings/{id}/remind", "再次提醒未签到的参会人（组织者）", organise, "department", true,
			func(c *fiber.Ctx, id string) (meeting.View, error) { return svc.Remind(c.UserContext(), actor(c), id) }),
		openapi.Handle(op("POST", "/meetings/{id}/reschedule", "改期、换会议室（组织者；会议开始前）：与预订相同的冲突检查；"+
			"参会人桌面重新收到会议通知，改了时间的须重新回复；已排座的按新会场重排，保留仍存在的手动座位", 200, organise, "department", 403, 404, 409),
			func(c *fiber.Ctx, in meeting.RescheduleInput) (meeting.View, error) {
				return svc.Reschedule(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn),
		openapi.Handle(op("POST", "/meetings/{id}/attendees", "增减参会人员（人员与受邀处室；组织者；会议开始前）：新增的收到会议通知，"+
			"移除的收到取消参会通知；已排座的随之调整，保留手动座位", 200, organise, "department", 403, 404, 409),
			func(c *fiber.Ctx, in meeting.AttendeesInput) (meeting.View, error) {
				return svc.ChangeAttendees(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn),
		openapi.Handle(op("POST", "/meetings/{id}/reply", "参会回复（参会人本人）：参加、请假（须说明原因）、委托他人参加；已排座的会议随之调整座次", 200, none, "", 403, 404, 409),
			func(c *fiber.Ctx, in meeting.ReplyInput) (meeting.View, error) {
				return svc.Reply(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn),
		openapi.Handle(op("POST", "/meetings/{id}/delegates", "受邀处室指派参会人员（该处室的 meeting.organise 或会议组织者）", 200, organise, "any", 403, 404, 409),
			func(c *fiber.Ctx, in delegatesBody) (meeting.View, error) {
				return svc.NameDelegates(c.UserContext(), actor(c), c.Params("id"), in.Department, meeting.DelegatesInput{UserIDs: in.UserIDs})
			}, signedIn),
		openapi.Handle(op("POST", "/meetings/{id}/precedence", "设定参会人的礼宾次序（数值越小越靠前；组织者）", 200, organise, "department", 403, 404, 409),
			func(c *fiber.Ctx, in meeting.PrecedenceInput) (meeting.View, error) {
				return svc.SetPrecedence(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn),
		openapi.Handle(op("POST", "/meetings/{id}/checkin", "签到：参会人凭签到码本人签到，或组织者按名单签到（会前 2 小时至会议结束）", 200, none, "", 403, 404, 409),
			func(c *fiber.Ctx, in meeting.CheckInInput) (meeting.View, error) {
				return svc.CheckIn(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn),
		openapi.Handle(op("GET", "/meetings/{id}/attendance", "参会情况：回复、请假、委托、签到统计与名单（组织者）", 200, organise, "department", 403, 404),
			func(c *fiber.Ctx, _ struct{}) (meeting.Attendance, error) {
				return svc.Attendance(c.UserContext(), auth.Caller(c), c.Params("id"))
			}, signedIn),
		openapi.Handle(op("POST", "/meetings/{id}/minutes", "起草会议纪要：在主办处室发起发文（文种 纪要，不加盖印章）", 200, organise, "department", 403, 404, 409, 503),
			func(c *fiber.Ctx, in meeting.MinutesInput) (meeting.View, error) {
				return svc.StartMinutes(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn),
		openapi.Handle(op("GET", "/meetings/{id}/seating", "座次（主席台按排、自左至右——面向主席台看；rank 为本次会议的礼宾次序，1 最尊）", 200, none, "", 404),
			func(c *fiber.Ctx, _ struct{}) (meeting.Arrangement, error) {
				return svc.Seating(c.UserContext(), actor(c), c.Params("id"))
			}, signedIn),
		func() openapi.Route {
			o := op("POST", "/meetings/{id}/seating", "自动排座（主席台居中向两侧交替，偶数人数两种排法可选；台下按处室分块、由前向后）；手动调整的座位保留", 200,
				organise, "department", 403, 404, 409)
			o.BodyOptional = true
			return openapi.Handle(o, func(c *fiber.Ctx, in meeting.ArrangeInput) (meeting.Arrangement, error) {
				return svc.Arrange(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn)
		}(),
		openapi.Handle(op("PUT", "/meetings/{id}/seating", "手动调整座位（拖放）：移到指定座位并固定，占用者与之对调；seat 为 null 时取消固定", 200,
			organise, "department", 403, 404, 409),
			func(c *fiber.Ctx, in meeting.MovesInput) (meeting.Arrangement, error) {
				return svc.Move(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn),
	}
	file := func(path, schema, mime, summary, what string, render func(meeting.Meeting) ([]byte, error)) openapi.Route {
		o := op("GET", path, summary, 200, organise, "department", 403, 404, 409, 503)
		o.OKSchema, o.OKType = schema, mime
		return openapi.Route{Op: o, Handlers: []fiber.Handler{signedIn, func(c *fiber.Ctx) error {
			m, data, err := svc.Printed(c.UserContext(), actor(c), strings.Clone(c.Params("id")), what, render)
			if errors.Is(err, layout.ErrFontMissing) {
				return problem.New(http.StatusServiceUnavailable, "font_missing", "服务器缺少排版所需的字体，请联系系统管理员",
					"a font the layout needs is not installed on the server")
			}
			if err != nil {
				return err
			}
			c.Set(fiber.HeaderContentType, mime)
			c.Set(fiber.HeaderContentDisposition, `inline; filename="`+what+`"`)
			c.Set(fiber.HeaderCacheControl, "private, no-store")
			c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
			if m.Classification.Classified() {
				c.Set("X-Classification", "classified")
			}
			return c.Send(data)
		}}}
	}
	routes = append(routes,
		file("/meetings/{id}/namecards.pdf", "MeetingPDF", "application/pdf",
			"席卡 PDF：每人一张（A4 横向对折成帐篷状，两面均为大号姓名，上半面倒置），按摆放顺序（组织者）", "namecards.pdf",
			func(m meeting.Meeting) ([]byte, error) { return meeting.NameCardsPDF(*m.Plan, fonts) }),
		file("/meetings/{id}/seating.pdf", "MeetingPDF", "application/pdf", "座次图 PDF（A3 横向，面向主席台看；组织者）", "seating.pdf",
			func(m meeting.Meeting) ([]byte, error) { return meeting.ChartPDF(m.Title, *m.Plan, fonts) }),
		file("/meetings/{id}/seating.png", "MeetingPNG", "image/png", "座次图 PNG（组织者）", "seating.png",
			func(m meeting.Meeting) ([]byte, error) { return meeting.ChartPNG(m.Title, *m.Plan, fonts, 4) }),
	)
	return routes
}

// delegatesBody names the department and whom it sends.
type delegatesBody struct {
	Department string   `json:"department" validate:"required,orgid"`
	UserIDs    []string `json:"userIds" validate:"required,min=1,max=200,dive,required,hexid"`
}
