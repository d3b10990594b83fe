package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"zhengwu/officeapi/chat"
)

// The messaging guarantee (#14): the real binary, a member sending M
// messages on the socket, kill -9 while acknowledgements are still coming,
// a restart on the same data directory — and another member who
// reconnects and resumes from position 0 receives every message that was
// acknowledged before the kill, each once. The sender then resends what
// was never acknowledged, with the same client ids: each is stored once.
func TestChatSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary twice")
	}
	const m, killAfter = 300, 120
	bin := zhengwuBinary(t)
	dir, addr := t.TempDir(), freeAddr(t)
	base := "http://" + addr
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "serve", "--demo", "--target", "officeapi", "--data", dir, "--addr", addr, "--log-level", "warn")
		cmd.Env = append(os.Environ(), "ZHENGWU_DEMO_PASSWORD=Chat-Kill-2026")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
		waitReady(t, base)
		return cmd
	}
	server := start()
	editor := login(t, base, "editor", "Chat-Kill-2026")
	chatID := demoGroup(t, base, editor)

	ws := dialChat(t, addr, editor)
	acked := map[string]int64{}
	go func() { // the sends go out as fast as the socket takes them
		for i := range m {
			if ws.WriteJSON(map[string]any{"type": "send", "chatId": chatID, "clientId": fmt.Sprint("kill-", i),
				"text": fmt.Sprint("消息 ", i)}) != nil {
				return
			}
		}
	}()
	for len(acked) < killAfter {
		ev := readEvent(t, ws)
		if ev.Type == "ack" {
			acked[ev.ClientID] = ev.Message.Position
		}
	}
	if err := server.Process.Kill(); err != nil { // SIGKILL: no shutdown, no flush
		t.Fatal(err)
	}
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for { // acks already on the wire before the kill count as acknowledged
		var ev chat.Event
		if ws.ReadJSON(&ev) != nil {
			break
		}
		if ev.Type == "ack" {
			acked[ev.ClientID] = ev.Message.Position
		}
	}
	_, _ = server.Process.Wait()
	t.Logf("%d of %d messages acknowledged before kill -9", len(acked), m)

	start()
	reviewer := login(t, base, "reviewer", "Chat-Kill-2026")
	rs := dialChat(t, addr, reviewer)
	if err := rs.WriteJSON(map[string]any{"type": "sync", "positions": map[string]int64{chatID: 0}}); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for {
		ev := readEvent(t, rs)
		if ev.Type == "synced" {
			break
		}
		if ev.Type == "message" && strings.HasPrefix(ev.Message.ClientID, "kill-") {
			got[ev.Message.ClientID]++
		}
	}
	lost := 0
	for id := range acked {
		if got[id] != 1 {
			lost++
			t.Errorf("acknowledged %s delivered %d times after the restart", id, got[id])
		}
	}
	t.Logf("after restart: %d stored, %d acknowledged lost", len(got), lost)

	// The sender resends everything (as the SPA does with what it holds
	// unacknowledged): stored once each, acknowledged at the first position.
	ws2 := dialChat(t, addr, editor)
	for i := range m {
		id := fmt.Sprint("kill-", i)
		if err := ws2.WriteJSON(map[string]any{"type": "send", "chatId": chatID, "clientId": id, "text": fmt.Sprint("消息 ", i)}); err != nil {
			t.Fatal(err)
		}
		var ev chat.Event
		for ev = readEvent(t, ws2); ev.Type != "ack"; ev = readEvent(t, ws2) {
		}
		if p, ok := acked[id]; ok && ev.Message.Position != p {
			t.Fatalf("%s acknowledged at %d, resent answered %d", id, p, ev.Message.Position)
		}
	}
	var h chat.History
	count := map[string]int{}
	// Position 1 is the group's "created" line; ?after=0 would ask for the
	// latest page instead.
	for after := int64(1); ; {
		getJSON(t, fmt.Sprintf("%s/api/office/v1/chat/chats/%s/messages?after=%d&size=200", base, chatID, after), editor, &h)
		for _, msg := range h.Items {
			count[msg.ClientID]++
			after = msg.Position
		}
		if !h.More {
			break
		}
	}
	for i := range m {
		if id := fmt.Sprint("kill-", i); count[id] != 1 {
			t.Errorf("%s stored %d times", id, count[id])
		}
	}
}

func login(t *testing.T, base, user, password string) string {
	t.Helper()
	resp, err := http.Post(base+"/api/office/v1/auth/login", "application/json",
		strings.NewReader(fmt.Sprintf(`{"username":%q,"password":%q}`, user, password)))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login %s: %v %v", user, err, resp)
	}
	defer resp.Body.Close()
	var s struct{ AccessToken string }
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || s.AccessToken == "" {
		t.Fatalf("login %s: %v", user, err)
	}
	return s.AccessToken
}

func getJSON(t *testing.T, url, token string, v any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %v %v", url, err, resp)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// demoGroup is the demo's 信息处 group, which editor and reviewer are in.
func demoGroup(t *testing.T, base, token string) string {
	var list chat.Chats
	getJSON(t, base+"/api/office/v1/chat/chats", token, &list)
	for _, s := range list.Items {
		if s.Chat.Kind == chat.KindGroup {
			return s.Chat.ID
		}
	}
	t.Fatalf("no demo group: %+v", list)
	return ""
}

func dialChat(t *testing.T, addr, token string) *websocket.Conn {
	t.Helper()
	conn, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/api/office/v1/chat/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	if err := conn.WriteJSON(map[string]any{"type": "auth", "token": token}); err != nil {
		t.Fatal(err)
	}
	if ev := readEvent(t, conn); ev.Type != "ready" {
		t.Fatalf("socket: %+v", ev)
	}
	return conn
}

func readEvent(t *testing.T, c *websocket.Conn) chat.Event {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
	var ev chat.Event
	if err := c.ReadJSON(&ev); err != nil {
		t.Fatalf("socket read: %v", err)
	}
	return ev
}
