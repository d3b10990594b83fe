package chathttp

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/chat"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/validation"
)

// Timings of a socket. Tests shorten them.
var (
	// AuthTimeout is how long a new socket has to send its auth frame.
	AuthTimeout = 10 * time.Second
	// Heartbeat is how often the server pings and checks the token again
	// (expiry, revocation: a logout or a password change ends the socket).
	Heartbeat = 15 * time.Second
)

// maxFrame bounds one client frame (a 4,000-character message fits).
const maxFrame = 64 << 10

// frame is what a client sends.
type frame struct {
	Type           string               `json:"type"`
	Token          string               `json:"token"`
	ChatID         string               `json:"chatId"`
	ClientID       string               `json:"clientId"`
	Text           string               `json:"text"`
	MediaID        string               `json:"mediaId"`
	FileName       string               `json:"fileName"`
	Classification classification.Level `json:"classification"`
	Position       int64                `json:"position"`
	Positions      map[string]int64     `json:"positions"`
	State          string               `json:"state"`
	Users          []string             `json:"users"`
}

// wsProblem is a problem told on the socket.
type wsProblem struct {
	Status    int                  `json:"status"`
	Code      string               `json:"code"`
	Message   string               `json:"message"`
	MessageEn string               `json:"messageEn"`
	Errors    []problem.FieldError `json:"errors,omitempty"`
}

func problemOf(err error) wsProblem {
	if p := problem.As(err); p != nil {
		return wsProblem{Status: p.Status, Code: p.Code, Message: p.Zh, MessageEn: p.En, Errors: p.Fields}
	}
	return wsProblem{Status: 500, Code: problem.CodeInternal, Message: "内部错误", MessageEn: "internal error"}
}

func socket(svc *chat.Service, hub *chat.Hub, tokens *auth.Tokens) fiber.Handler {
	// Origins are not checked: the socket is authenticated by a token in
	// its first frame, never by a cookie, so another site's page cannot
	// ride on the user's session.
	upgrade := websocket.New(func(conn *websocket.Conn) { serve(conn, svc, hub, tokens) },
		websocket.Config{ReadBufferSize: 2048, WriteBufferSize: 2048, HandshakeTimeout: 10 * time.Second})
	return func(c *fiber.Ctx) error {
		if !websocket.IsWebSocketUpgrade(c) {
			return problem.New(400, problem.CodeInvalid, "此地址仅接受 WebSocket 连接", "this address takes WebSocket connections only")
		}
		return upgrade(c)
	}
}

func write(conn *websocket.Conn, ev chat.Event) error {
	data, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	_ = conn.SetWriteDeadline(time.Now().Add(2 * Heartbeat))
	return conn.WriteMessage(websocket.TextMessage, data)
}

// serve runs one socket: authenticate, register with the hub, then read
// the client's frames while a writer drains the hub's.
func serve(conn *websocket.Conn, svc *chat.Service, hub *chat.Hub, tokens *auth.Tokens) {
	conn.SetReadLimit(maxFrame)
	_ = conn.SetReadDeadline(time.Now().Add(AuthTimeout))
	var hello frame
	if err := conn.ReadJSON(&hello); err != nil || hello.Type != "auth" {
		_ = write(conn, chat.Event{Type: "error", Problem: problemOf(problem.Unauthenticated("first frame must be auth"))})
		return
	}
	p, err := tokens.Verify(hello.Token)
	if err != nil || p.MustChangePassword() {
		_ = write(conn, chat.Event{Type: "error", Problem: problemOf(problem.Unauthenticated("invalid token"))})
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	client := hub.Register(p.UserID, p.Name)
	defer hub.Unregister(client)
	done := make(chan struct{})
	go func() { // the writer: the only goroutine that writes after this
		defer close(done)
		defer conn.Close()
		beat := time.NewTicker(Heartbeat)
		defer beat.Stop()
		for {
			select {
			case <-client.Done:
				return
			case f := <-client.Out:
				_ = conn.SetWriteDeadline(time.Now().Add(2 * Heartbeat))
				if conn.WriteMessage(websocket.TextMessage, f) != nil {
					client.Drop()
					return
				}
			case <-beat.C:
				if _, err := tokens.Verify(hello.Token); err != nil {
					client.Drop()
					return
				}
				if conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(Heartbeat)) != nil {
					client.Drop()
					return
				}
			}
		}
	}()
	reply := func(ev chat.Event) {
		data, _ := json.Marshal(ev)
		select {
		case client.Out <- data:
		case <-client.Done:
		}
	}
	reply(chat.Event{Type: "ready", UserID: p.UserID, Name: p.Name})
	alive := func() { _ = conn.SetReadDeadline(time.Now().Add(3 * Heartbeat)) }
	conn.SetPongHandler(func(string) error { alive(); return nil })
	a := records.Actor{P: p, IP: conn.IP()}
	for {
		alive()
		var f frame
		if err := conn.ReadJSON(&f); err != nil {
			var syntax *json.SyntaxError
			if errors.As(err, &syntax) {
				reply(chat.Event{Type: "error", Problem: problemOf(problem.New(400, problem.CodeMalformed, "帧不是有效的 JSON", "frame is not JSON"))})
				continue
			}
			break
		}
		select {
		case <-client.Done:
			return
		default:
		}
		handle(ctx, svc, hub, client, a, f, reply)
	}
	client.Drop()
	<-done
}

func handle(ctx context.Context, svc *chat.Service, hub *chat.Hub, client *chat.Client, a records.Actor, f frame, reply func(chat.Event)) {
	fail := func(err error) {
		reply(chat.Event{Type: "error", ClientID: f.ClientID, ChatID: f.ChatID, Problem: problemOf(err)})
	}
	switch f.Type {
	case "send":
		in := chat.SendInput{ChatID: f.ChatID, ClientID: f.ClientID, Text: f.Text, MediaID: f.MediaID,
			FileName: f.FileName, Classification: f.Classification}
		if err := validation.Struct(in); err != nil {
			fail(err)
			return
		}
		m, err := svc.Send(ctx, a, in)
		if err != nil {
			fail(err)
			return
		}
		reply(chat.Event{Type: "ack", ClientID: f.ClientID, Message: &m})
	case "sync":
		for chatID, after := range f.Positions {
			if err := sync(ctx, svc, a.P, chatID, after, reply); err != nil {
				fail(err)
			}
		}
		reply(chat.Event{Type: "synced"})
	case "read":
		if _, err := svc.MarkRead(ctx, a.P, f.ChatID, f.Position); err != nil {
			fail(err)
		}
	case "typing":
		if err := hub.Typing(ctx, client, f.ChatID); err != nil {
			fail(err)
		}
	case "presence":
		hub.SetAway(client, f.State == chat.Away)
	case "watch":
		reply(chat.Event{Type: "presence", Presence: hub.Watch(client, f.Users)})
	case "ping":
		reply(chat.Event{Type: "pong"})
	default:
		fail(problem.Invalid(problem.Field("type", "未知的帧类型", "unknown frame type")))
	}
}

// sync sends every message of a chat after position after (a member's
// catch-up after a reconnect or a restart), page by page.
func sync(ctx context.Context, svc *chat.Service, p *auth.Principal, chatID string, after int64, reply func(chat.Event)) error {
	for {
		h, err := svc.Since(ctx, p, chatID, after, chat.MaxPage)
		if err != nil {
			return err
		}
		for i := range h.Items {
			reply(chat.Event{Type: "message", Message: &h.Items[i]})
			after = h.Items[i].Position
		}
		if !h.More || len(h.Items) == 0 {
			return nil
		}
	}
}
