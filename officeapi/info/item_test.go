package info

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
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
		// docs/info-gateway.md: "seen by the department only" — not by an
		// office-wide reviewer from outside it (it was, by id, while lists
		// and search hid it).
		{"published dept/office reviewer", func(i *Item) { i.State = StatePublished; i.Audience = AudienceDepartment }, office, false},
		{"published dept/dept reviewer", func(i *Item) { i.State = StatePublished; i.Audience = AudienceDepartment }, deptRev, true},
		{"published office/other", func(i *Item) { i.State = StatePublished; i.Audience = AudienceOffice }, other, true},
		{"published secret/low", func(i *Item) { i.State = StatePublished; i.Audience = AudienceOffice; i.Classification = "秘密" }, low, false},
		{"published 机密/author 秘密", func(i *Item) { i.State = StatePublished; i.Audience = AudienceOffice; i.Classification = "机密" }, author, false},
		{"need-to-know/listed", func(i *Item) { i.State = StatePublished; i.Audience = AudienceOffice; i.Principals = []string{"o"} }, other, true},
		{"need-to-know/unlisted", func(i *Item) { i.State = StatePublished; i.Audience = AudienceOffice; i.Principals = []string{"o"} }, member, false},
		{"need-to-know/office reviewer", func(i *Item) { i.State = StatePublished; i.Audience = AudienceOffice; i.Principals = []string{"o"} }, office, false},
		{"need-to-know/author", func(i *Item) { i.State = StatePublished; i.Audience = AudienceOffice; i.Principals = []string{"o"} }, author, true},
		{"unknown classification", func(i *Item) { i.State = StatePublished; i.Audience = AudienceOffice; i.Classification = "内部" }, office, false},
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

// Search indexes a published item with the readers AccessOf gives it, so
// that search finds it for exactly those a read by id lets in.
func TestSearchProjectionCarriesTheAccessRule(t *testing.T) {
	now := time.Now()
	doc := func(it Item) store.Doc {
		b, _ := json.Marshal(it)
		return store.Doc{Collection: Collection, ID: "x", Version: 1, Data: b}
	}
	if _, ok := searchProject(doc(Item{State: StateDraft, Classification: "非密"})); ok {
		t.Fatal("a draft is searchable")
	}
	for _, it := range []Item{
		{State: StatePublished, Audience: AudienceDepartment, Department: "xinxi", Classification: "秘密", PublishedAt: &now, Body: "<p>正文</p>", Author: "a"},
		{State: StatePublished, Audience: AudienceOffice, Department: "xinxi", Classification: "非密", Author: "a", Principals: []string{"u"}},
		{State: StatePublished, Audience: AudienceOffice, Department: "xinxi", Classification: "机密", Author: "a"},
	} {
		d, ok := searchProject(doc(it))
		want := AccessOf(&it)
		if !ok || d.Classification != want.Classification || !slices.Equal(d.Readers, want.Readers) {
			t.Errorf("%+v indexed as %+v, want the readers %v", it, d, want.Readers)
		}
	}
	if p := SearchProjection(); p.Index != source.OfficeName || p.Collection != Collection {
		t.Fatalf("projection %+v", p)
	}
}
