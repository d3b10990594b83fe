package archivehttp_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"zhengwu/officeapi"
	"zhengwu/officeapi/archive"
	"zhengwu/officeapi/archive/archivehttp"
	"zhengwu/officeapi/demo"
	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/officetest"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/officialdoc/officialdochttp"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/workcal"
	"zhengwu/search/searchapi"
	"zhengwu/search/source"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

const base = "/api/office/v1"

// files is a store-backed archive.Files: the test can change a part's
// bytes behind the archive's back, as someone with database access could.
type files struct{ st store.Store }

const filesCollection = "test_files"

type stored struct {
	Name string `json:"name"`
	Data []byte `json:"data"`
}

func (f files) Put(ctx context.Context, _ records.Actor, name string, data []byte) (string, error) {
	h := sha256.Sum256(data)
	id := hex.EncodeToString(h[:])
	_, err := store.Save(ctx, f.st, filesCollection, id, stored{Name: name, Data: data}, store.AnyVersion)
	return id, err
}

func (f files) Get(ctx context.Context, id string) (string, []byte, error) {
	v, _, err := store.Load[stored](ctx, f.st, filesCollection, id)
	return v.Name, v.Data, err
}

type env struct {
	*officetest.Env
	docs   *officialdoc.Service
	arc    *archive.Service
	people map[string]*auth.Principal // by user id
}

func newEnv(t *testing.T) *env {
	e := officetest.New(t)
	cal, err := workcal.New(workcal.Config{})
	if err != nil {
		t.Fatal(err)
	}
	docs, err := officialdoc.New(officialdoc.Deps{Deps: e.Deps("officialdoc"), Calendar: cal, Holders: e.Identity.Holders,
		Account: e.Identity.User, Departments: e.Identity.Departments})
	if err != nil {
		t.Fatal(err)
	}
	e.Mount(docs, officialdochttp.Routes(docs, e.Tokens))
	// The sealed PDF stands in: the layout has its own tests.
	pdf := func(_ context.Context, _ records.Actor, d officialdoc.Document) ([]byte, error) {
		return []byte("%PDF-1.7\n% " + d.ID + " " + d.Title + "\n%%EOF\n"), nil
	}
	search, err := searchapi.New(searchapi.Deps{Store: e.Store, DataDir: t.TempDir(), Logger: e.Log, Now: e.Clock.Now,
		Projections: []source.Projection{archive.SearchProjection()}})
	if err != nil {
		t.Fatal(err)
	}
	if err := search.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = search.Close() })
	e.Store.Subscribe(search.Notify)
	arc, err := archive.New(archive.Deps{Deps: e.Deps("archive"), Docs: docs, Files: files{e.Store}, PDF: pdf, Search: search})
	if err != nil {
		t.Fatal(err)
	}
	e.Mount(arc, archivehttp.Routes(arc, e.Tokens))
	people := map[string]*auth.Principal{}
	for _, u := range demo.Usernames() {
		p, err := e.Identity.PrincipalByUsername(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		people[p.UserID] = p
	}
	return &env{Env: e, docs: docs, arc: arc, people: people}
}

func (e *env) as(username string) records.Actor {
	p, err := e.Identity.PrincipalByUsername(context.Background(), username)
	if err != nil {
		e.T.Fatal(err)
	}
	return records.Actor{P: p, IP: "test"}
}

// atArchive drafts a 通知 as drafter and takes it through its flow to 归档,
// each step by the demo account the flow gives it to; it returns its id.
func (e *env) atArchive(drafter string, level classification.Level, title string) string {
	e.T.Helper()
	ctx := context.Background()
	a := e.as(drafter)
	v, err := e.docs.Create(ctx, a, officialdoc.Input{Direction: officialdoc.Outgoing, DocType: "通知", Title: title,
		Classification: level, Issuer: "安徽省人民政府办公厅", IssuerCode: "皖政办", MainTo: []string{"厅机关各处室"},
		Body: "<p>" + title + "</p>", Signature: "安徽省人民政府办公厅"})
	if err != nil {
		e.T.Fatal(err)
	}
	id := v.Document.ID
	if _, err := e.docs.Submit(ctx, a, id); err != nil {
		e.T.Fatal(err)
	}
	for range 12 {
		d, _, err := store.Load[officialdoc.Document](ctx, e.Store, officialdoc.Collection, id)
		if err != nil {
			e.T.Fatal(err)
		}
		if len(d.Tasks) == 0 {
			e.T.Fatalf("%s ended without 归档", title)
		}
		t := d.Tasks[0]
		if t.Node == "archive" {
			return id
		}
		a := records.Actor{P: e.people[t.Assignee], IP: "test"}
		if t.Node == officialdoc.NodePrint { // the print room's done (its own tests check it)
			_, err = e.docs.PrintDone(ctx, a, t.ID, "印制完成")
		} else {
			_, err = e.docs.Act(ctx, a, t.ID, officialdoc.ActionInput{Action: "approve", Opinion: "同意"})
		}
		if err != nil {
			e.T.Fatalf("%s at %s: %v", title, t.NodeName, err)
		}
	}
	e.T.Fatalf("%s did not reach 归档", title)
	return ""
}

func (e *env) archive(user, doc, retention string) archive.Record {
	e.T.Helper()
	r := e.Do("POST", base+"/archive/records", e.TokenOf(user), map[string]any{"document": doc, "retention": retention})
	if r.Status != 201 {
		e.T.Fatalf("archive %s as %s: %d %s", doc, user, r.Status, r.Body)
	}
	var v archive.Record
	r.Decode(e.T, &v)
	return v
}

func TestArchiveSealsTheDocumentAndEndsItsFlow(t *testing.T) {
	e := newEnv(t)
	id := e.atArchive("staff", classification.Feimi, "关于做好2026年春节期间值班工作的通知")
	// Only the holder of the 归档 task archives it.
	testkit.WantProblem(t, e.Do("POST", base+"/archive/records", e.TokenOf("chuzhang"), map[string]any{"document": id}), 409, "invalid_state")
	testkit.WantProblem(t, e.Do("POST", base+"/archive/records", e.TokenOf("clerk"), map[string]any{"document": id, "retention": "五年"}), 400, "invalid")
	r := e.archive("clerk", id, "")
	year := time.Now().In(time.FixedZone("CST", 8*3600)).Year()
	if want := fmt.Sprintf("Z001-%d-D30-0001", year); r.ArchiveNo != want || r.Retention != archive.Term30 || r.ItemNo != 1 {
		t.Fatalf("档号 %s (%s, %d), want %s (定期30年 by default for a 通知)", r.ArchiveNo, r.Retention, r.ItemNo, want)
	}
	kinds := []string{}
	for _, p := range r.Parts {
		kinds = append(kinds, p.Kind)
		_, data, err := files{e.Store}.Get(context.Background(), p.Media)
		h := sha256.Sum256(data)
		if err != nil || hex.EncodeToString(h[:]) != p.SHA256 || int64(len(data)) != p.Size {
			t.Fatalf("part %s: stored bytes do not match its SHA-256 (%v)", p.Name, err)
		}
	}
	if !slices.Equal(kinds, []string{archive.PartDocument, archive.PartRevisions, archive.PartFlow, archive.PartPDF}) {
		t.Fatalf("parts %v", kinds)
	}
	openapitest.Response(t, officeapi.API(e.Routes), "POST", "/archive/records", 201, e.Do("POST", base+"/archive/records",
		e.TokenOf("clerk"), map[string]any{"document": id}).Body) // twice: the same record
	// The flow moved on: the document is 办结, the opinion carries the 档号.
	d, err := e.docs.Get(context.Background(), e.as("clerk").P, id)
	if err != nil || d.Document.State != officialdoc.StateCompleted {
		t.Fatalf("document after 归档: %v %v", d.Document.State, err)
	}
	if got := succeeded(e.Audited("archive.create", archive.Collection+"/"+id)); len(got) != 1 {
		t.Fatalf("archive.create audited %d times", len(got))
	}
	// The drafter reads it (a reader of the document); the catalogue lists it.
	if got := e.Listed("staff", "/archive/records"); !slices.Equal(got, []string{id}) {
		t.Fatalf("staff's catalogue %v", got)
	}
	if got := e.Listed("editor", "/archive/records"); len(got) != 0 {
		t.Fatalf("another department's catalogue %v", got)
	}
	for _, q := range []string{"year=" + fmt.Sprint(year), "retention=定期30年", "docType=通知", "q=春节", "classification=非密", "status=valid"} {
		if got := e.listed("archivist", "/archive/records?"+q); !slices.Equal(got, []string{id}) {
			t.Errorf("catalogue%s: %v", q, got)
		}
	}
	for _, q := range []string{"year=2001", "retention=永久", "docType=函", "q=国庆", "classification=秘密", "status=revoked"} {
		if got := e.listed("archivist", "/archive/records?"+q); len(got) != 0 {
			t.Errorf("catalogue%s: %v", q, got)
		}
	}
}

func TestRecordsCannotBeChanged(t *testing.T) {
	e := newEnv(t)
	id := e.atArchive("staff", classification.Feimi, "关于召开全省政务公开工作会议的通知")
	before := e.archive("clerk", id, archive.Permanent)
	path := base + "/archive/records/" + id
	for _, method := range []string{"PUT", "DELETE"} {
		testkit.WantProblem(t, e.Do(method, path, e.TokenOf("archivist"), map[string]any{"title": "改过的题名"}), 405, archive.CodeImmutable)
	}
	testkit.WantProblem(t, e.Do("PATCH", path, e.TokenOf("archivist"), map[string]any{"title": "x"}), 405, "")
	if got := e.Audited("archive.put", archive.Collection+"/"+id); len(got) != 1 || got[0].Outcome != "failure" {
		t.Fatalf("the refused change was not audited as a failure: %v", got)
	}
	// One who may not read it learns nothing: 404.
	testkit.WantProblem(t, e.Do("DELETE", path, e.TokenOf("editor"), nil), 404, "not_found")
	// 撤销 is appended; the content stays, and so does the record.
	r := e.Do("POST", path+"/void", e.TokenOf("clerk"), map[string]any{"kind": "revoked", "reason": "误发"})
	testkit.WantProblem(t, r, 403, "forbidden")
	r = e.Do("POST", path+"/void", e.TokenOf("archivist"), map[string]any{"kind": "revoked", "reason": "经批准撤销：与新规定冲突"})
	var after archive.Record
	r.Decode(t, &after)
	if r.Status != 200 || after.Status != archive.StatusRevoked || after.ContentSHA256 != before.ContentSHA256 ||
		after.Title != before.Title || len(after.Events) != 2 || after.Events[1].Reason != "经批准撤销：与新规定冲突" {
		t.Fatalf("after 撤销: %d %+v", r.Status, after)
	}
	testkit.WantProblem(t, e.Do("POST", path+"/void", e.TokenOf("archivist"), map[string]any{"kind": "abolished", "reason": "再废止"}), 409, "invalid_state")
	// A 永久 record is never due for appraisal.
	testkit.WantProblem(t, e.Do("POST", path+"/appraisal", e.TokenOf("archivist"),
		map[string]any{"decision": "destroy", "opinion": "无保存价值"}), 409, "invalid_state")
}

func TestFixityReportsAChangeMadeBehindTheAPI(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := e.atArchive("staff", classification.Feimi, "关于加强政务信息报送工作的通知")
	rec := e.archive("clerk", id, "")
	path := base + "/archive/records/" + id + "/fixity"
	check := func(user string) archive.Record {
		t.Helper()
		r := e.Do("POST", path, e.TokenOf(user), nil)
		if r.Status != 200 {
			t.Fatalf("fixity as %s: %d %s", user, r.Status, r.Body)
		}
		var v archive.Record
		r.Decode(t, &v)
		return v
	}
	testkit.WantProblem(t, e.Do("POST", path, e.TokenOf("staff"), nil), 403, "forbidden")
	if v := check("archivist"); v.Fixity != archive.FixityIntact {
		t.Fatalf("an untouched record: %s %+v", v.Fixity, v.Events)
	}
	// Someone with database access changes the flow log's bytes.
	flow := rec.Parts[2]
	name, data, _ := files{e.Store}.Get(ctx, flow.Media)
	data = bytes.Replace(data, []byte("同意"), []byte("不同意"), 1)
	if _, err := store.Save(ctx, e.Store, filesCollection, flow.Media, stored{Name: name, Data: data}, store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	v := check("archivist")
	if v.Fixity != archive.FixityBroken || !slices.Equal(v.Events[len(v.Events)-1].Failed, []string{flow.Name}) {
		t.Fatalf("a changed part passed: %s %+v", v.Fixity, v.Events[len(v.Events)-1])
	}
	if got := succeeded(e.Audited("archive.fixity", archive.Collection+"/"+id)); len(got) != 2 || got[1].Details["outcome"] != archive.FixityBroken {
		t.Fatalf("fixity audit: %v", got)
	}
	// And the record's own description changed in the database.
	d, err := e.Store.Get(ctx, archive.Collection, id)
	if err != nil {
		t.Fatal(err)
	}
	changed := bytes.Replace(d.Data, []byte(rec.Title), []byte("篡改后的题名"), 1)
	if _, err := e.Store.Put(ctx, archive.Collection, id, changed, d.Version); err != nil {
		t.Fatal(err)
	}
	// The scheduled pass finds both; run again, it records no second
	// event of the same result (the summary and the audit trail say when).
	for range 2 {
		checked, broken, err := e.arc.Pass(ctx)
		if err != nil || checked != 1 || broken != 1 {
			t.Fatalf("pass: %d checked, %d broken, %v", checked, broken, err)
		}
	}
	got, err := e.arc.Get(ctx, e.as("archivist").P, id)
	if err != nil {
		t.Fatal(err)
	}
	events := got.Document.Events
	last := events[len(events)-1]
	if last.By != "system" || !slices.Equal(last.Failed, []string{"record", flow.Name}) || events[len(events)-2].By == "system" {
		t.Fatalf("the scheduled checks: %+v", events)
	}
	if n := len(succeeded(e.Audited("archive.fixity", archive.Collection+"/"+id))); n != 4 {
		t.Fatalf("%d fixity checks audited, want 4", n)
	}
	// A package is never made of changed bytes under the old checksums.
	testkit.WantProblem(t, e.Do("POST", base+"/archive/export", e.TokenOf("archivist"), map[string]any{"ids": []string{id}}), 409, "invalid_state")
}

func TestItemNumbersHaveNoGapsUnderConcurrency(t *testing.T) {
	e := newEnv(t)
	const n = 6
	ids := make([]string, n)
	for i := range ids {
		ids[i] = e.atArchive("staff", classification.Feimi, fmt.Sprintf("关于第%d批政务公开事项的通知", i+1))
	}
	clerk := e.as("clerk")
	var wg sync.WaitGroup
	got := make([]int, 2*n)
	errs := make([]error, 2*n)
	for i := range 2 * n { // each document twice, at once: one record each
		wg.Go(func() {
			v, err := e.arc.Archive(context.Background(), clerk, archive.Input{Document: ids[i%n]})
			got[i], errs[i] = v.Document.ItemNo, err
		})
	}
	wg.Wait()
	numbers := map[string]int{}
	for i, err := range errs {
		if err != nil { // the second call at once answers the first one's record
			t.Fatalf("archive %d: %v", i, err)
		}
	}
	for _, id := range ids {
		v, err := e.arc.Get(context.Background(), clerk.P, id)
		if err != nil {
			t.Fatal(err)
		}
		numbers[id] = v.Document.ItemNo
	}
	seen := slices.Sorted(func(yield func(int) bool) {
		for _, v := range numbers {
			if !yield(v) {
				return
			}
		}
	})
	if !slices.Equal(seen, []int{1, 2, 3, 4, 5, 6}) {
		t.Fatalf("件号 %v, want 1…6 without gaps or repeats", seen)
	}
}

func TestClearanceAndNeedToKnowDecideWhoSeesARecord(t *testing.T) {
	e := newEnv(t)
	// 秘密, drafted by 秘书二处's head: staff of his department (非密) are no readers.
	id := e.atArchive("chuzhang", classification.Mimi, "关于涉密载体专项检查的通知")
	e.archive("clerk", id, "")
	low := auth.Principal{UserID: "low-archivist", Username: "low-archivist", Clearance: classification.Feimi,
		Perms: map[string][]string{auth.PermArchiveRead.Key(): {auth.OfficeWide}, auth.PermArchiveManage.Key(): {auth.OfficeWide}}}
	lowToken, _, err := e.Tokens.Issue(low, "low")
	if err != nil {
		t.Fatal(err)
	}
	for who, token := range map[string]string{"staff": e.TokenOf("staff"), "editor": e.TokenOf("editor"), "low clearance": lowToken} {
		testkit.WantProblem(t, e.Do("GET", base+"/archive/records/"+id, token, nil), 404, "not_found")
		r := e.Do("GET", base+"/archive/records?consistentWith="+fmt.Sprint(e.LastSeq), token, nil)
		if r.Status != 200 || strings.Contains(string(r.Body), id) {
			t.Errorf("%s's catalogue lists the 秘密 record: %d %s", who, r.Status, r.Body)
		}
	}
	testkit.WantProblem(t, e.Do("POST", base+"/archive/export", lowToken, map[string]any{"ids": []string{id}}), 404, "not_found")
	for _, user := range []string{"chuzhang", "archivist", "director"} {
		if r := e.Do("GET", base+"/archive/records/"+id, e.TokenOf(user), nil); r.Status != 200 {
			t.Errorf("%s: %d %s", user, r.Status, r.Body)
		}
	}
	// Found through the office search index by its readers alone.
	find := func(token string) []string {
		t.Helper()
		r := e.Do("GET", base+"/archive/search?q="+url.QueryEscape("涉密载体")+"&consistentWith="+fmt.Sprint(e.LastSeq), token, nil)
		var res archive.SearchResult
		r.Decode(t, &res)
		if r.Status != 200 || uint64(len(res.Items)) != res.Total {
			t.Fatalf("search: %d %s", r.Status, r.Body)
		}
		out := []string{}
		for _, h := range res.Items {
			out = append(out, h.ID)
		}
		return out
	}
	for _, user := range []string{"archivist", "chuzhang"} {
		if got := find(e.TokenOf(user)); !slices.Equal(got, []string{id}) {
			t.Fatalf("%s's search: %v", user, got)
		}
	}
	for who, token := range map[string]string{"staff": e.TokenOf("staff"), "editor": e.TokenOf("editor"), "low clearance": lowToken} {
		if got := find(token); len(got) != 0 {
			t.Fatalf("%s finds the 秘密 record: %v", who, got)
		}
	}
}

func TestExportPackageVerifies(t *testing.T) {
	e := newEnv(t)
	a := e.atArchive("staff", classification.Feimi, "关于政务数据共享的通知")
	b := e.atArchive("staff", classification.Feimi, "关于政务服务一网通办的通知")
	ra, rb := e.archive("clerk", a, archive.Term10), e.archive("clerk", b, "")
	testkit.WantProblem(t, e.Do("POST", base+"/archive/export", e.TokenOf("clerk"), map[string]any{"ids": []string{a}}), 403, "forbidden")
	testkit.WantProblem(t, e.Do("POST", base+"/archive/export", e.TokenOf("archivist"), map[string]any{"ids": []string{}}), 400, "invalid")
	r := e.Do("POST", base+"/archive/export", e.TokenOf("archivist"), map[string]any{"ids": []string{a, b}})
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("export: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	zr, err := zip.NewReader(bytes.NewReader(r.Body), int64(len(r.Body)))
	if err != nil {
		t.Fatal(err)
	}
	entries := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		entries[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	manifest := strings.Split(strings.TrimSpace(string(entries[archive.ManifestName])), "\n")
	if len(manifest) != len(entries)-1 {
		t.Fatalf("manifest lists %d files, the package has %d besides it", len(manifest), len(entries)-1)
	}
	for _, line := range manifest {
		want, path, ok := strings.Cut(line, "  ")
		h := sha256.Sum256(entries[path])
		if !ok || hex.EncodeToString(h[:]) != want {
			t.Errorf("manifest line %q does not verify", line)
		}
	}
	for _, rec := range []archive.Record{ra, rb} {
		meta := string(entries[rec.ArchiveNo+"/metadata.json"])
		if !strings.Contains(meta, `"档号": "`+rec.ArchiveNo+`"`) || !strings.Contains(meta, rec.Title) {
			t.Errorf("metadata of %s: %s", rec.ArchiveNo, meta)
		}
		// The catalogue's words, not the API's values.
		if want := map[string]string{"outgoing": "发文", "incoming": "收文"}[rec.Direction]; want == "" ||
			!strings.Contains(meta, `"收发文": "`+want+`"`) {
			t.Errorf("metadata of %s (direction %q) names it otherwise: %s", rec.ArchiveNo, rec.Direction, meta)
		}
		for _, p := range rec.Parts {
			h := sha256.Sum256(entries[rec.ArchiveNo+"/"+p.Name])
			if hex.EncodeToString(h[:]) != p.SHA256 {
				t.Errorf("%s/%s differs from the archived part", rec.ArchiveNo, p.Name)
			}
		}
	}
	if got := succeeded(e.Audited("archive.export", archive.Collection)); len(got) != 1 {
		t.Fatalf("export audited %d times", len(got))
	}
	// The appraisal list: 定期 records by the day their retention ends.
	if got := e.listed("archivist", "/archive/appraisal?before=2099-12-31"); !slices.Equal(got, []string{a, b}) {
		t.Fatalf("appraisal list %v (10 years before 30)", got)
	}
	if got := e.Listed("archivist", "/archive/appraisal"); len(got) != 0 {
		t.Fatalf("due today: %v", got)
	}
	testkit.WantProblem(t, e.Do("GET", base+"/archive/appraisal", e.TokenOf("staff"), nil), 403, "forbidden")
}

func TestDemoArchivesTheFinishedDocuments(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.docs.SeedDemo(ctx, e.Identity.PrincipalByUsername); err != nil {
		t.Fatal(err)
	}
	n, err := e.arc.SeedDemo(ctx, e.Identity)
	if err != nil || n != 4 { // two sealed, two imported
		t.Fatalf("demo: %d records, %v", n, err)
	}
	if again, err := e.arc.SeedDemo(ctx, e.Identity); err != nil || again != 0 {
		t.Fatalf("demo again: %d, %v", again, err)
	}
	depts, imported := map[string]bool{}, 0
	for _, id := range e.Listed("archivist", "/archive/records") {
		v, err := e.arc.Get(ctx, e.as("archivist").P, id)
		if err != nil {
			t.Fatal(err)
		}
		depts[v.Document.Department] = true
		if v.Document.ImportedFrom != nil {
			imported++
		}
	}
	if imported != 2 {
		t.Fatalf("%d imported records in the demo", imported)
	}
	if !depts["xinxi"] || !depts["mishu2"] {
		t.Fatalf("demo records of %v (the authorisation matrix needs one of 信息处)", depts)
	}
	// The acting head's grant was revoked.
	heads, err := e.Identity.Holders(ctx, identityHeads("xinxi"))
	if err != nil || len(heads) != 0 {
		t.Fatalf("信息处 heads after the demo: %v %v", heads, err)
	}
}

func identityHeads(dept string) identity.HolderQuery {
	return identity.HolderQuery{Role: auth.RoleDeptHead, Department: dept}
}

// listed is Listed for a path with a query of its own.
func (e *env) listed(user, path string) []string {
	e.T.Helper()
	var page struct{ Items []struct{ ID string } }
	e.Do("GET", fmt.Sprintf("%s%s&consistentWith=%d", base, path, e.LastSeq), e.TokenOf(user), nil).Decode(e.T, &page)
	out := []string{}
	for _, it := range page.Items {
		out = append(out, it.ID)
	}
	return out
}

// succeeded are the entries of what was done, not refused.
func succeeded(entries []audit.Entry) []audit.Entry {
	var out []audit.Entry
	for _, e := range entries {
		if e.Outcome == audit.Success {
			out = append(out, e)
		}
	}
	return out
}

func TestDocumentsFinishedWithoutArchiveAreSweptIn(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.atArchive("staff", classification.Feimi, "关于印发值班表的通知")
	b := e.atArchive("staff", classification.Feimi, "关于调整值班安排的通知")
	for _, id := range []string{a, b} { // 归档 done as a plain task action: no record
		d, err := e.docs.Get(ctx, e.as("clerk").P, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.docs.Act(ctx, e.as("clerk"), d.Document.Tasks[0].ID, officialdoc.ActionInput{Action: "approve"}); err != nil {
			t.Fatal(err)
		}
	}
	// The clerk may not take a finished document in; the archivist may,
	// though not one of its readers.
	testkit.WantProblem(t, e.Do("POST", base+"/archive/records", e.TokenOf("clerk"), map[string]any{"document": a}), 403, "forbidden")
	testkit.WantProblem(t, e.Do("POST", base+"/archive/records", e.TokenOf("editor"), map[string]any{"document": a}), 404, "not_found")
	if r := e.archive("archivist", a, archive.Permanent); r.Retention != archive.Permanent || r.ArchivedBy != e.UserID("archivist") {
		t.Fatalf("the archivist's record: %+v", r)
	}
	n, err := e.arc.Sweep(ctx)
	if err != nil || n != 1 {
		t.Fatalf("sweep: %d, %v", n, err)
	}
	v, err := e.arc.Get(ctx, e.as("staff").P, b)
	if err != nil || v.Document.ArchivedBy != "system" || v.Document.Retention != archive.Term30 || v.Document.ItemNo != 1 {
		t.Fatalf("swept record: %+v %v", v.Document, err)
	}
	if n, err := e.arc.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("sweep again: %d, %v", n, err)
	}
}
