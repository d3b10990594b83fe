package officialdoc_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"zhengwu/officeapi/officialdoc"
	"zhengwu/search/source"
	"zhengwu/search/source/sourcetest"
	"zhengwu/shared/store"
)

// A 公文's attachments reach the office index file by file, each under
// its media name; a file that cannot be read, or whose name and type
// cannot be looked up (its kind unknown), keeps the document in.
func TestSearchProjectionAttachments(t *testing.T) {
	media := sourcetest.Media{
		"m-docx": sourcetest.DOCX(t, "请示事项的测算依据"),
		"m-xlsx": sourcetest.XLSX(t, sourcetest.Sheet{Name: "测算", Rows: [][]any{{"项目", "经费（万元）"}, {"湿地修复", 320}}}),
		"m-bad":  []byte("PK\x03\x04 truncated"),
	}
	names := map[string]source.File{
		"m-docx": {MediaID: "m-docx", Name: "测算依据.docx", Type: sourcetest.MIMEDOCX},
		"m-bad":  {MediaID: "m-bad", Name: "损坏.docx", Type: sourcetest.MIMEDOCX},
	}
	describe := func(_ context.Context, id string) (source.File, error) {
		if f, ok := names[id]; ok {
			return f, nil
		}
		return source.File{}, errors.New("no such media")
	}
	doc := officialdoc.Document{ID: "d1", Title: "关于湿地修复经费的请示", DocType: "请示", Direction: "outgoing",
		Drafter: "u1", Department: "zonghe", State: "draft", Attachments: []string{"m-docx", "m-bad", "m-xlsx"}}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	sd := store.Doc{Collection: officialdoc.Collection, ID: "d1", Version: 1, Data: data}
	proj := officialdoc.SearchProjection(officialdoc.SearchDeps{Media: media, Describe: describe})
	got, ok := proj.Project(sd)
	if !ok {
		t.Fatal("the document is not indexed")
	}
	want := []source.FileText{{Name: "测算依据.docx", Text: "请示事项的测算依据"}}
	if !reflect.DeepEqual(got.Attachments, want) {
		t.Fatalf("attachments %q", got.Attachments)
	}
	names["m-xlsx"] = source.File{MediaID: "m-xlsx", Name: "测算表.xlsx"}
	got, _ = proj.Project(sd)
	want = append(want, source.FileText{Name: "测算表.xlsx", Text: "项目\t经费（万元）\n湿地修复\t320"})
	if !reflect.DeepEqual(got.Attachments, want) {
		t.Fatalf("attachments %q", got.Attachments)
	}
	// Without media, the document is indexed without its files' text.
	got, ok = officialdoc.SearchProjection(officialdoc.SearchDeps{}).Project(sd)
	if !ok || got.Attachments != nil || got.Title != doc.Title {
		t.Fatalf("without media: %v %+v", ok, got)
	}
}
