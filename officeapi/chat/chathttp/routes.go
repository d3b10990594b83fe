// Package chathttp is the thin HTTP layer of instant messaging: REST
// routes under /api/office/v1/chat for the chat list, history, groups and
// read state, and the WebSocket at /chat/ws that carries messages both
// ways (socket.go).
package chathttp

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/chat"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/openapi"
)

// Tag is the chat routes' API tag.
const Tag = "chat"

// ReadInput moves the caller's read position in a chat.
type ReadInput struct {
	Position int64 `json:"position" validate:"gte=0" doc:"已读到的消息位置"`
}

// MessageInput is a message sent over HTTP (the socket's send frame, for
// clients without a socket).
type MessageInput struct {
	ClientID       string               `json:"clientId" validate:"required,max=64" doc:"客户端生成的消息 id：重发同一 id 只存一次"`
	Text           string               `json:"text" validate:"max=4000"`
	MediaID        string               `json:"mediaId" validate:"omitempty,len=64,hexadecimal" doc:"文件消息：已上传文件的 id"`
	FileName       string               `json:"fileName" validate:"max=255"`
	Classification classification.Level `json:"classification" validate:"omitempty,classification"`
}

// Reads are the members' read positions of a chat.
type Reads struct {
	Items []chat.ReadState `json:"items"`
}

// Routes are the chat routes under /api/office/v1; hub carries the socket.
func Routes(svc *chat.Service, hub *chat.Hub, tokens *auth.Tokens) []openapi.Route {
	signedIn := tokens.Required()
	op := func(method, path, summary string, ok int, perm auth.Permission, errs ...int) openapi.Op {
		scope := ""
		if perm != (auth.Permission{}) {
			scope = "any"
		}
		return openapi.Op{Method: method, Path: path, Summary: summary, Tag: Tag, Auth: true, OK: ok,
			Perm: perm, Scope: scope, Collection: chat.Collection, Errors: append([]int{400, 401}, errs...)}
	}
	actor := func(c *fiber.Ctx) records.Actor { return records.Actor{P: auth.Caller(c), IP: c.IP()} }
	staff, none := auth.PermOfficeRead, auth.Permission{}
	return []openapi.Route{
		openapi.Handle(op("GET", "/chat/chats", "本人的会话列表（最近活动在前）：最后一条消息、已读位置与未读数，及未读总数", 200, none, 503),
			func(c *fiber.Ctx, q chat.ListQuery) (chat.Chats, error) {
				return svc.Mine(c.UserContext(), auth.Caller(c), q)
			}, signedIn),
		openapi.Handle(op("POST", "/chat/direct", "打开与某人的单聊（每两人一个会话，首次打开时创建）", 200, staff, 403),
			func(c *fiber.Ctx, in chat.DirectInput) (chat.View, error) {
				return svc.Direct(c.UserContext(), actor(c), in)
			}, signedIn),
		openapi.Handle(op("POST", "/chat/groups", "创建群聊（创建者为群主；成员须具有群密级所需的密级）", 201, staff, 403),
			func(c *fiber.Ctx, in chat.GroupInput) (chat.View, error) {
				return svc.CreateGroup(c.UserContext(), actor(c), in)
			}, signedIn),
		openapi.Handle(op("GET", "/chat/chats/{id}", "会话详情（仅成员）", 200, none, 404),
			func(c *fiber.Ctx, _ struct{}) (chat.View, error) {
				return svc.Get(c.UserContext(), auth.Caller(c), c.Params("id"))
			}, signedIn),
		openapi.Handle(op("POST", "/chat/chats/{id}/members", "调整群成员（群主增删；成员可退出：remove 仅为本人）：记入审计并在群内提示", 200, none, 403, 404, 409),
			func(c *fiber.Ctx, in chat.MembersInput) (chat.View, error) {
				return svc.ChangeMembers(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn),
		openapi.Handle(op("GET", "/chat/chats/{id}/messages", "历史消息（仅成员）：before 向上翻页，after 续接", 200, none, 404),
			func(c *fiber.Ctx, q chat.HistoryQuery) (chat.History, error) {
				return svc.History(c.UserContext(), auth.Caller(c), c.Params("id"), q)
			}, signedIn),
		openapi.Handle(op("POST", "/chat/chats/{id}/messages", "发送消息（仅成员；存储提交后才应答；同一 clientId 只存一次）", 201, none, 404),
			func(c *fiber.Ctx, in MessageInput) (chat.Message, error) {
				return svc.Send(c.UserContext(), actor(c), chat.SendInput{ChatID: c.Params("id"), ClientID: in.ClientID,
					Text: in.Text, MediaID: in.MediaID, FileName: in.FileName, Classification: in.Classification})
			}, signedIn),
		openapi.Handle(op("POST", "/chat/chats/{id}/read", "标记已读到某位置", 200, none, 404),
			func(c *fiber.Ctx, in ReadInput) (chat.ReadState, error) {
				return svc.MarkRead(c.UserContext(), auth.Caller(c), c.Params("id"), in.Position)
			}, signedIn),
		openapi.Handle(op("GET", "/chat/chats/{id}/reads", "各成员的已读位置（仅成员）", 200, none, 404),
			func(c *fiber.Ctx, _ struct{}) (Reads, error) {
				items, err := svc.Reads(c.UserContext(), auth.Caller(c), c.Params("id"))
				return Reads{Items: items}, err
			}, signedIn),
		{Op: openapi.Op{Method: "GET", Path: "/chat/ws", Tag: Tag,
			Summary: "即时通讯 WebSocket。浏览器无法设置请求头，令牌不放在 URL 中（会进日志）：连接后第一帧发送 " +
				`{"type":"auth","token":"<访问令牌>"}，10 秒内未认证即断开；令牌过期或被吊销时断开。` +
				"客户端帧：send（chatId, clientId, text|mediaId），sync（positions: 会话→已收到的最后位置），read，typing，presence（away），watch（users）。" +
				"服务端帧：ready，ack（存储提交之后），message，read，chat，typing，presence，synced，error",
			OK: 101, Resp: chat.Event{}, Errors: []int{400}},
			Handlers: []fiber.Handler{socket(svc, hub, tokens)}},
	}
}
