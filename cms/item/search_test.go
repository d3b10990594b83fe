package item_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"reflect"
	"slices"
	"testing"
	"time"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
	"zhengwu/search/query"
	"zhengwu/search/source"
	"zhengwu/search/source/sourcetest"
	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// fullItem sets every field of item.Item, each to a value of its own, so
// that what the index holds can be traced back to one field.
func fullItem(t *testing.T) (item.Item, sourcetest.Media) {
	at := func(day int) time.Time { return time.Date(2026, 3, day, 8, 0, 0, 0, time.UTC) }
	next := at(20)
	effective, expires := at(10), at(30)
	it := item.Item{
		ID: "it-1", Type: channel.TypePolicy, Channel: "zhengce", Department: "fgw",
		Path: "files/wanzhengban-2026-12", Visibility: channel.Public,
		Title: "关于进一步优化营商环境的若干意见", Subtitle: "副标题", Summary: "摘要：营商环境",
		Body: "<p>正文<b>营商</b></p>", BodyText: "正文营商环境纯文本", Source: "省发展改革委", Author: "作者",
		Cover: "m-cover",
		Policy: &item.Policy{DocNumber: "皖政办〔2026〕12号", Issuers: []string{"安徽省人民政府办公厅", "省发展改革委"},
			Genre: "意见", WrittenAt: at(2), EffectiveAt: &effective, ExpiresAt: &expires, Validity: item.ValidityAmended},
		Leader: &item.Leader{Name: "张三", Occasion: "全省会议", Date: at(3), Place: "合肥"},
		Report: &item.Report{Series: "国研报告", Issue: "2026年第12期", Authors: []string{"李四"}},
		Attachments: []item.Attachment{
			{MediaID: "m-typed", Name: "实施细则", Size: 100, Type: sourcetest.MIMEDOCX}, // the MIME type tells the kind
			{MediaID: "m-named", Name: "解读.docx", Size: 200},                         // the name tells it
		},
		Links:       item.Links{Amends: []string{"it-0"}, Repeals: []string{"it-a"}, Interprets: []string{"it-b"}},
		Status:      item.StatusWithdrawn,
		Withdrawal:  &item.Notice{Reason: "已被新文件替代", At: at(15)},
		RedirectTo:  "files/other",
		Edition:     3,
		ChangeNote:  "更正文号",
		PublishedAt: time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC), // 2027 in China
		UpdatedAt:   at(5), NextChangeAt: &next,
	}
	media := sourcetest.Media{
		"m-typed": sourcetest.DOCX(t, "细则附件正文"),
		"m-named": sourcetest.DOCX(t, "解读附件正文"),
	}
	return it, media
}

// indexed are the fields of item.Item the portal search index holds,
// each with the index field it reaches and the value it has there for
// fullItem.
var indexed = map[string]struct {
	field string
	want  any
}{
	"Type":             {query.FieldType, channel.TypePolicy},
	"Channel":          {query.FieldChannel, "zhengce"},
	"Department":       {query.FieldDepartment, "fgw"},
	"Path":             {source.FieldPath, "files/wanzhengban-2026-12"},
	"Visibility":       {query.FieldVisibility, source.Public},
	"Title":            {query.FieldTitle, "关于进一步优化营商环境的若干意见"},
	"Summary":          {query.FieldSummary, "摘要：营商环境"},
	"BodyText":         {query.FieldBody, "正文营商环境纯文本"},
	"Policy.DocNumber": {query.FieldDocNumber, "皖政办〔2026〕12号"},
	"Policy.Issuers":   {query.FieldIssuer, "安徽省人民政府办公厅"}, // the lead issuer
	"Policy.WrittenAt": {query.FieldIssuedAt, time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)},
	"Policy.Validity":  {query.FieldValidity, item.ValidityAmended},
	// Which file, and whether it is one whose text is read.
	"Attachments.MediaID": {query.FieldAttachmentText, []string{"细则附件正文", "解读附件正文"}},
	"Attachments.Name":    {source.FieldAttachmentNames, []string{"实施细则", "解读.docx"}}, // which file matched
	"Attachments.Type":    {query.FieldAttachmentText, []string{"细则附件正文", "解读附件正文"}},
	"Status":              {query.FieldStatus, item.StatusWithdrawn},
	"PublishedAt":         {query.FieldPublishedAt, time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC)},
}

// notIndexed are the fields search leaves out, each for a reason.
var notIndexed = map[string]string{
	"ID":                 "the index document's id is the store document's",
	"Subtitle":           "not searched",
	"Body":               "HTML; BodyText is its text",
	"Source":             "not searched",
	"Author":             "not searched",
	"Cover":              "an image",
	"Policy.Genre":       "the delivery API's facet, not search's",
	"Policy.EffectiveAt": "not searched",
	"Policy.ExpiresAt":   "Validity says it",
	"Leader.Name":        "the delivery API's filter, not search's",
	"Leader.Occasion":    "not searched",
	"Leader.Date":        "not searched",
	"Leader.Place":       "not searched",
	"Report.Series":      "not searched",
	"Report.Issue":       "not searched",
	"Report.Authors":     "not searched",
	"Attachments.Size":   "Extract's limits read the file itself",
	"Links.Amends":       "the delivery API's reverse links",
	"Links.Repeals":      "the delivery API's reverse links",
	"Links.Interprets":   "the delivery API's reverse links",
	"Withdrawal.Reason":  "the reader's notice, on the item's page",
	"Withdrawal.At":      "the reader's notice, on the item's page",
	"RedirectTo":         "a redirected item is not in search",
	"Edition":            "not searched",
	"ChangeNote":         "not searched",
	"UpdatedAt":          "hits are dated by first publication",
	"NextChangeAt":       "for caches",
}

// fieldPaths lists the fields of t, nested structs (and the elements of
// slices and pointers to them) as "Outer.Inner".
func fieldPaths(t reflect.Type, prefix string) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		ft := f.Type
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft != reflect.TypeFor[time.Time]() {
			out = append(out, fieldPaths(ft, prefix+f.Name+".")...)
			continue
		}
		out = append(out, prefix+f.Name)
	}
	return out
}

// Every field of item.Item is either indexed or left out on purpose: a
// field added to the item (or renamed) fails here until someone decides
// whether search holds it.
func TestSearchDecidesEveryItemField(t *testing.T) {
	paths := fieldPaths(reflect.TypeFor[item.Item](), "")
	for _, p := range paths {
		_, in := indexed[p]
		_, out := notIndexed[p]
		if in == out {
			t.Errorf("item.Item's %s: indexed %v, left out %v; say which (cms/item/search_test.go)", p, in, out)
		}
	}
	for p := range indexed {
		if !slices.Contains(paths, p) {
			t.Errorf("indexed field %s is not a field of item.Item", p)
		}
	}
	for p := range notIndexed {
		if !slices.Contains(paths, p) {
			t.Errorf("left-out field %s is not a field of item.Item", p)
		}
	}
}

// An item as cms/content stores it reaches the portal search index with
// every field search holds, from the store (SQLite) through the
// projection to the fields the index maps.
func TestSearchIndexesEveryField(t *testing.T) {
	st := storetest.NewSQLite(t)
	ctx := context.Background()
	it, media := fullItem(t)
	if _, err := store.Save(ctx, st, item.Collection, it.ID, it, store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Save(ctx, st, channel.Collection, it.Channel, channel.Channel{Key: it.Channel, Visibility: channel.Public}, store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	got := project(t, item.SearchDeps{Store: st, Media: media, Logger: quiet}, st, it.ID)
	if got == nil {
		t.Fatal("a withdrawn item is not in the index")
	}
	for name, f := range indexed {
		v := got[f.field]
		if w, ok := f.want.(time.Time); ok {
			if g, ok := v.(time.Time); !ok || !g.Equal(w) {
				t.Errorf("%s: index field %s is %v, want %v", name, f.field, v, w)
			}
			continue
		}
		if !reflect.DeepEqual(v, f.want) {
			t.Errorf("%s: index field %s is %q, want %q", name, f.field, v, f.want)
		}
	}
	// Derived from them: the year in China, the title for suggestions, 非密.
	if got[query.FieldYear] != "2027" || got[query.FieldTitlePrefix] != it.Title || got[query.FieldClass] != 0.0 {
		t.Fatalf("derived fields: %v", got)
	}
}

// project reads the item back from the store and projects it as the
// search service does; nil: not in the index.
func project(t *testing.T, deps item.SearchDeps, st store.Store, id string) map[string]any {
	t.Helper()
	src, err := source.New(source.PortalName, quiet, item.SearchProjection(deps))
	if err != nil {
		t.Fatal(err)
	}
	d, err := st.Get(context.Background(), item.Collection, id)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := src.Project(d)
	if !ok {
		return nil
	}
	return got.(map[string]any)
}

// Which items search holds, and for whom, over every status, visibility,
// type and kind of channel: published and withdrawn items (withdrawn ones
// marked), public only when the item and every channel above it are.
func TestSearchStatesAndVisibility(t *testing.T) {
	st := storetest.NewSQLite(t)
	ctx := context.Background()
	for _, c := range []channel.Channel{
		{Key: "open", Visibility: channel.Public},
		{Key: "top", Visibility: channel.Internal},
		{Key: "sub", Parent: "top", Visibility: channel.Public}, // under an internal channel
	} {
		if _, err := store.Save(ctx, st, channel.Collection, c.Key, c, store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	deps := item.SearchDeps{Store: st, Logger: quiet}
	publicChannel := map[string]bool{"open": true, "top": false, "sub": false, "unknown": false} // unknown: fail closed
	types := []string{channel.TypeArticle, channel.TypePolicy, channel.TypeSpeech, channel.TypeActivity, channel.TypeReport}
	n := 0
	for _, status := range []string{item.StatusPublished, item.StatusWithdrawn, item.StatusRedirected, item.StatusGone} {
		for _, vis := range []string{channel.Public, channel.Internal, "", "PUBLIC"} {
			for ch, chPublic := range publicChannel {
				for _, typ := range types {
					n++
					it := item.Item{ID: "x", Type: typ, Channel: ch, Visibility: vis, Status: status, Title: "通知",
						PublishedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
					if _, err := store.Save(ctx, st, item.Collection, it.ID, it, store.AnyVersion); err != nil {
						t.Fatal(err)
					}
					got := project(t, deps, st, it.ID)
					where := status + "/" + vis + "/" + ch + "/" + typ
					inIndex := status == item.StatusPublished || status == item.StatusWithdrawn
					if (got != nil) != inIndex {
						t.Fatalf("%s: in the index %v, want %v", where, got != nil, inIndex)
					}
					if got == nil {
						continue
					}
					wantVis := source.Internal
					if vis == channel.Public && chPublic {
						wantVis = source.Public
					}
					wantStatus := any(nil)
					if status == item.StatusWithdrawn {
						wantStatus = item.StatusWithdrawn
					}
					if got[query.FieldVisibility] != wantVis || got[query.FieldStatus] != wantStatus ||
						got[query.FieldType] != typ || got[query.FieldChannel] != ch {
						t.Fatalf("%s: %v", where, got)
					}
				}
			}
		}
	}
	if n != 4*4*4*5 {
		t.Fatalf("%d cases", n)
	}
}

// The projection fails closed: a channel it cannot read makes the item
// internal; an item that does not decode is left out; without a store,
// the item's own visibility decides.
func TestSearchFailsClosed(t *testing.T) {
	st := storetest.NewSQLite(t)
	ctx := context.Background()
	it := item.Item{ID: "x", Type: channel.TypeArticle, Channel: "open", Visibility: channel.Public,
		Status: item.StatusPublished, Title: "通知"}
	if _, err := store.Save(ctx, st, item.Collection, it.ID, it, store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	if got := project(t, item.SearchDeps{Store: unreadable{st}, Logger: quiet}, st, it.ID); got[query.FieldVisibility] != source.Internal {
		t.Fatalf("channel unreadable: %v", got)
	}
	if got := project(t, item.SearchDeps{Logger: quiet}, st, it.ID); got[query.FieldVisibility] != source.Public {
		t.Fatalf("without a store: %v", got)
	}
	src, err := source.New(source.PortalName, quiet, item.SearchProjection(item.SearchDeps{Logger: quiet}))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := src.Project(store.Doc{Collection: item.Collection, ID: "bad", Data: []byte(`{"status": 1}`)}); ok {
		t.Fatal("an undecodable item was projected")
	}
	if got := src.Collections(); !slices.Equal(got, []string{item.Collection}) {
		t.Fatalf("collections %v", got)
	}
}

// unreadable is a store whose channels cannot be read.
type unreadable struct{ store.Store }

func (u unreadable) Get(ctx context.Context, collection, id string) (store.Doc, error) {
	if collection == channel.Collection {
		return store.Doc{}, errors.New("store unavailable")
	}
	return u.Store.Get(ctx, collection, id)
}
