package delivery_test

import (
	"encoding/json"
	"testing"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
)

// Every name ?fields= may give shows its own part of the item, and only
// that (beside the id): the index fields a name reads and the summary
// field it fills are declared together, so they cannot disagree.
func TestEveryFieldShowsItsPart(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := policy("p1", "files-general-office", "关于印发管理办法的通知", "皖政办〔2026〕12号", "通知", item.ValidityInForce,
		[]string{"省政府办公厅", "省财政厅"}, day(0))
	p.Cover = "m1"
	s := article("s1", "leader-wang-speeches", "在全省会议上的讲话", day(1))
	s.Type = channel.TypeSpeech
	s.Leader = &item.Leader{Name: "王省长", Occasion: "全省会议", Date: day(1)}
	e.publish(p, s)
	policyAll := `{"docNumber":"皖政办〔2026〕12号","validity":"有效","genre":"通知","issuers":["省政府办公厅","省财政厅"]}`
	for _, c := range []struct{ fields, id, want string }{
		{"type", "p1", `{"id":"p1","type":"policy"}`},
		{"channel", "p1", `{"id":"p1","channel":"files-general-office"}`},
		{"department", "p1", `{"id":"p1","department":"zonghe"}`},
		{"path", "p1", `{"id":"p1","path":"files-general-office/p1"}`},
		{"visibility", "p1", `{"id":"p1","visibility":"public"}`},
		{"status", "p1", `{"id":"p1","status":"published"}`},
		{"title", "p1", `{"id":"p1","title":"关于印发管理办法的通知"}`},
		{"summary", "p1", `{"id":"p1","summary":"关于印发管理办法的通知的摘要"}`},
		{"cover", "p1", `{"id":"p1","cover":"m1"}`},
		{"publishedAt", "p1", `{"id":"p1","publishedAt":"` + day(0).Format("2006-01-02T15:04:05Z07:00") + `"}`},
		{"updatedAt", "p1", `{"id":"p1","updatedAt":"` + day(0).Format("2006-01-02T15:04:05Z07:00") + `"}`},
		{"policy", "p1", `{"id":"p1","policy":` + policyAll + `}`},
		{"policy.docNumber", "p1", `{"id":"p1","policy":{"docNumber":"皖政办〔2026〕12号"}}`},
		{"policy.validity", "p1", `{"id":"p1","policy":{"validity":"有效"}}`},
		{"policy.genre", "p1", `{"id":"p1","policy":{"genre":"通知"}}`},
		{"policy.issuers", "p1", `{"id":"p1","policy":{"issuers":["省政府办公厅","省财政厅"]}}`},
		{"policy.genre,policy.docNumber", "p1", `{"id":"p1","policy":{"docNumber":"皖政办〔2026〕12号","genre":"通知"}}`},
		{"policy", "s1", `{"id":"s1"}`},
		{"leader", "p1", `{"id":"p1"}`},
		{"leader", "s1", `{"id":"s1","leader":{"name":"王省长"}}`},
		{"leader.name", "s1", `{"id":"s1","leader":{"name":"王省长"}}`},
		{"id", "s1", `{"id":"s1"}`},
	} {
		var got map[string]any
		for _, it := range e.list("fields=" + c.fields).Items {
			if it["id"] == c.id {
				got = it
			}
		}
		var want map[string]any
		if err := json.Unmarshal([]byte(c.want), &want); err != nil {
			t.Fatal(err)
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Errorf("fields=%s, %s: %s, want %s", c.fields, c.id, g, w)
		}
	}
}
