package forum

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
)

func docOf(t *testing.T, th Thread) store.Doc {
	t.Helper()
	data, err := json.Marshal(th)
	if err != nil {
		t.Fatal(err)
	}
	return store.Doc{Collection: Collection, ID: th.ID, Data: data}
}

// Office search finds a thread for exactly its board's readers, at its 密级,
// without what moderators hid.
func TestSearchProjection(t *testing.T) {
	th := Thread{ID: "t1", Department: "xinxi", Title: "周例会纪要", Body: "<p>本周简报三期</p>", Classification: classification.Mimi,
		Replies: []Reply{{Floor: 2, Body: "<p>收到</p>"}, {Floor: 3, Body: "<p>不当言论</p>", Hidden: true}}}
	d, ok := searchProject(docOf(t, th))
	if !ok || !slices.Equal(d.Readers, []string{auth.Member("xinxi")}) || d.Classification != classification.Mimi ||
		!strings.Contains(d.Body, "收到") || strings.Contains(d.Body, "不当言论") || d.Path != "/office/forum/threads/t1" {
		t.Fatalf("projected %+v", d)
	}
	th.Department = ""
	if d, _ := searchProject(docOf(t, th)); !slices.Equal(d.Readers, []string{auth.Staff}) {
		t.Fatalf("an office-wide board's readers: %v", d.Readers)
	}
	th.Hidden = true
	if _, ok := searchProject(docOf(t, th)); ok {
		t.Fatal("a hidden thread is in office search")
	}
}
