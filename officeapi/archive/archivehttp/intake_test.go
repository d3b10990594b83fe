package archivehttp_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"zhengwu/officeapi/archive"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/testkit"
)

func oldRecord(key string, level classification.Level) archive.ImportInput {
	return archive.ImportInput{Key: key, Source: "旧档案目录.csv 第 2 行", Title: "关于启用新版公文格式的通知", DocNumber: "皖政办〔2012〕3号",
		Issuer: "安徽省人民政府办公厅", WrittenOn: "2012-05-04", Classification: level, Retention: archive.Permanent,
		FileName: "通知.pdf", Content: []byte("%PDF-1.4 scanned " + key)}
}

// An imported record is the archive's like a sealed one: its 档号 in the
// same sequence, in the catalogue with its provenance, found through the
// office search index by the archive's keepers cleared for its 密级 and
// by no one else; a second import of the same key writes nothing.
func TestImportedRecordsAreFoundOnlyByTheirReaders(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r, created, err := e.arc.ImportRecord(ctx, e.as("archivist"), oldRecord("k1", classification.Mimi))
	if err != nil || !created || r.ArchiveNo != "Z001-2012-Y-0001" || r.ImportedFrom == nil || r.Direction != archive.DirectionImported {
		t.Fatalf("import: %v %v %+v", err, created, r)
	}
	seq, err := e.Store.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, created, err := e.arc.ImportRecord(ctx, e.as("archivist"), oldRecord("k1", classification.Mimi))
	if err != nil || created || again.ID != r.ID {
		t.Fatalf("rerun: %v %v %+v", err, created, again)
	}
	if n, _ := e.Store.LastSeq(ctx); n != seq {
		t.Fatalf("the rerun wrote: %d → %d", seq, n)
	}
	e.LastSeq = seq

	// The catalogue shows the provenance.
	res := e.Do("GET", base+"/archive/records?consistentWith="+fmt.Sprint(e.LastSeq), e.TokenOf("archivist"), nil)
	var page archive.Page
	res.Decode(t, &page)
	if res.Status != 200 || len(page.Items) != 1 || page.Items[0].ImportedFrom != "旧档案目录.csv 第 2 行" {
		t.Fatalf("catalogue: %d %s", res.Status, res.Body)
	}

	find := func(user string) []string {
		t.Helper()
		res := e.Do("GET", base+"/archive/search?q="+url.QueryEscape("新版公文格式")+"&consistentWith="+fmt.Sprint(e.LastSeq), e.TokenOf(user), nil)
		var found archive.SearchResult
		res.Decode(t, &found)
		if res.Status != 200 {
			t.Fatalf("search as %s: %d %s", user, res.Status, res.Body)
		}
		out := []string{}
		for _, h := range found.Items {
			out = append(out, h.ID)
		}
		return out
	}
	if got := find("archivist"); !slices.Equal(got, []string{r.ID}) {
		t.Fatalf("the archivist's search: %v", got)
	}
	// Not the drafter's department head, not staff, not the editor: an
	// imported record has no document readers.
	for _, user := range []string{"chuzhang", "staff", "editor"} {
		if got := find(user); len(got) != 0 {
			t.Errorf("%s finds the imported 秘密 record: %v", user, got)
		}
		testkit.WantProblem(t, e.Do("GET", base+"/archive/records/"+r.ID, e.TokenOf(user), nil), 404, "not_found")
	}
}

// The intake's own checks: who may import, and each wrong field named.
func TestImportRefusals(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, user := range []string{"sysadmin", "secadmin", "staff"} {
		_, _, err := e.arc.ImportRecord(ctx, e.as(user), oldRecord("k-"+user, classification.Feimi))
		if pe := problem.As(err); pe == nil || pe.Status != 403 {
			t.Errorf("%s imported: %v", user, err)
		}
	}
	for field, change := range map[string]func(*archive.ImportInput){
		"title":          func(in *archive.ImportInput) { in.Title = " " },
		"classification": func(in *archive.ImportInput) { in.Classification = "内部" },
		"retention":      func(in *archive.ImportInput) { in.Retention = "五年" },
		"file":           func(in *archive.ImportInput) { in.Content = nil },
		"date":           func(in *archive.ImportInput) { in.WrittenOn = "2012-13-01" },
	} {
		in := oldRecord("k-"+field, classification.Feimi)
		change(&in)
		_, _, err := e.arc.ImportRecord(ctx, e.as("archivist"), in)
		pe := problem.As(err)
		if pe == nil || pe.Status != 400 || len(pe.Fields) != 1 || pe.Fields[0].Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	// The archivist (机密) may not import a 绝密 record.
	_, _, err := e.arc.ImportRecord(ctx, e.as("archivist"), oldRecord("k-juemi", classification.Juemi))
	if pe := problem.As(err); pe == nil || !strings.Contains(fmt.Sprint(pe.Fields), "classification") {
		t.Errorf("绝密: %v", err)
	}
	for _, key := range []string{"k-sysadmin", "k-title", "k-classification", "k-retention", "k-file", "k-date", "k-juemi"} {
		if _, found, err := e.arc.ImportedRecord(ctx, key); err != nil || found {
			t.Fatalf("%s stored after its refusal: %v", key, err)
		}
	}
}
