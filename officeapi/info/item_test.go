package info

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

func principal(uid string, clearance classification.Level, depts []string, perms map[string][]string) *auth.Principal {
	return &auth.Principal{UserID: uid, Clearance: clearance, Departments: depts, Perms: perms}
}

func TestMayRead(t *testing.T) {
	author := principal("a", "秘密", []string{"xinxi"}, map[string][]string{PermEdit.Key(): {"xinxi"}})
	member := principal("m", "秘密", []string{"xinxi"}, nil)
	other := principal("o", "秘密", []string{"ducha"}, nil)
	low := principal("l", "非密", []string{"xinxi"}, nil)
	office := principal("d", "机密", []string{"office"}, map[string][]string{PermReview.Key(): {auth.OfficeWide}})
	deptRev := principal("r", "秘密", []string{"xinxi"}, map[string][]string{PermReview.Key(): {"xinxi"}})
	base := Item{Department: "xinxi", Author: "a", Classification: "非密"}
	cases := []struct {
		name string
		edit func(*Item)
		p    *auth.Principal
		want bool
	}{
		{"draft/author", func(i *Item) { i.State = StateDraft }, author, true},
		{"draft/member", func(i *Item) { i.State = StateDraft }, member, false},
		{"draft/office reviewer", func(i *Item) { i.State = StateDraft }, office, false},
		{"submitted/office reviewer", func(i *Item) { i.State = StateSubmitted; i.Audience = AudienceOffice }, office, true},
		{"submitted/dept reviewer", func(i *Item) { i.State = StateSubmitted; i.Audience = AudienceDepartment }, deptRev, true},
		{"submitted/member", func(i *Item) { i.State = StateSubmitted }, member, false},
		{"published dept/member", func(i *Item) { i.State = StatePublished; i.Audience = AudienceDepartment }, member, true},
		{"published dept/other", func(i *Item) { i.State = StatePublished; i.Audience = AudienceDepartment }, other, false},
		{"published office/other", func(i *Item) { i.State = StatePublished; i.Audience = AudienceOffice }, other, true},
		{"published secret/low", func(i *Item) { i.State = StatePublished; i.Audience = AudienceOffice; i.Classification = "秘密" }, low, false},
		{"published 机密/author 秘密", func(i *Item) { i.State = StatePublished; i.Audience = AudienceOffice; i.Classification = "机密" }, author, false},
		{"need-to-know/listed", func(i *Item) { i.State = StatePublished; i.Audience = AudienceOffice; i.Principals = []string{"o"} }, other, true},
		{"need-to-know/unlisted", func(i *Item) { i.State = StatePublished; i.Audience = AudienceOffice; i.Principals = []string{"o"} }, member, false},
		{"unknown classification", func(i *Item) { i.State = StatePublished; i.Audience = AudienceOffice; i.Classification = "绝密" }, office, false},
		{"nil principal", func(i *Item) { i.State = StatePublished; i.Audience = AudienceOffice }, nil, false},
	}
	for _, c := range cases {
		it := base
		c.edit(&it)
		if got := MayRead(c.p, &it); got != c.want {
			t.Errorf("%s: MayRead = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSearchProjection(t *testing.T) {
	now := time.Now()
	doc := func(it Item) store.Doc {
		b, _ := json.Marshal(it)
		return store.Doc{Collection: Collection, ID: "x", Version: 1, Data: b}
	}
	if _, ok := searchProject(doc(Item{State: StateDraft, Classification: "非密"})); ok {
		t.Fatal("a draft is searchable")
	}
	d, ok := searchProject(doc(Item{State: StatePublished, Audience: AudienceDepartment, Department: "xinxi", Classification: "秘密", PublishedAt: &now, Body: "<p>正文</p>"}))
	if !ok || d.Department != "xinxi" || d.Classification != "秘密" || d.Visibility != source.Internal || d.Body != "正文" {
		t.Fatalf("department item: %+v", d)
	}
	d, _ = searchProject(doc(Item{State: StatePublished, Audience: AudienceOffice, Department: "xinxi", Classification: "非密", Author: "a", Principals: []string{"u"}}))
	if d.Department != auth.OfficeWide || d.Visibility != source.Restricted || len(d.Principals) != 2 {
		t.Fatalf("restricted office item: %+v", d)
	}
	if _, ok := source.Office.Project(doc(Item{State: StatePublished, Audience: AudienceOffice, Classification: "非密"})); !ok {
		New(nil, nil, nil, nil, "")
		if _, ok := source.Office.Project(doc(Item{State: StatePublished, Audience: AudienceOffice, Classification: "非密"})); !ok {
			t.Fatal("info_items is not registered with the office search source")
		}
	}
}

func TestSanitize(t *testing.T) {
	out := Sanitize(`<h2>标题</h2><p style="x" onclick="y">文<img src=x onerror=alert(1)><iframe src="//evil"></iframe><a href="https://gov.cn">链</a><a href="javascript:alert(1)">坏</a></p>`)
	for _, bad := range []string{"onclick", "onerror", "iframe", "javascript", "style", "<img"} {
		if strings.Contains(out, bad) {
			t.Errorf("%q survived: %s", bad, out)
		}
	}
	if !strings.Contains(out, "<h2>标题</h2>") || !strings.Contains(out, `href="https://gov.cn"`) || !strings.Contains(out, "nofollow") {
		t.Errorf("allowed markup lost: %s", out)
	}
}

func TestListsBeforeStartAnswer503(t *testing.T) {
	s := New(nil, nil, nil, nil, "")
	p := principal("a", "非密", nil, nil)
	_, err := s.List(context.Background(), p, ListQuery{})
	if pe := problem.As(err); pe == nil || pe.Status != 503 {
		t.Fatalf("List before Start: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
