package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"zhengwu/cms/bulkimport"
	"zhengwu/officeapi/archive"
	"zhengwu/officeapi/demo"
	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/records"
	"zhengwu/shared/classification"
	"zhengwu/shared/config"
	"zhengwu/shared/store"
)

// zhengwu import --into archive, end to end on a data directory: a folder
// and a CSV export become archive records with their provenance and the
// original's SHA-256 (the fixity check finds them intact); the dry run
// and a rerun write nothing; every refusal names its field; a 系统管理员
// is refused.
func TestImportIntoArchive(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	cfg, err := config.Parse([]string{"--data", data}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := openRuntime(ctx, cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ids, sys := rt.identity(), identity.Actor{IP: "local"}
	for _, d := range demo.Departments {
		if d.ID == "office" || d.ID == "zonghe" {
			if _, err := ids.CreateDepartment(ctx, sys, d); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, u := range []struct {
		name, display string
		depts         []string
		clearance     classification.Level
		role          string
	}{
		{"archivist", "林秀兰", []string{"zonghe"}, classification.Jimi, "archivist"},
		{"sysadmin", "系统管理员", nil, classification.Feimi, "sysadmin"},
	} {
		created, err := ids.CreateUser(ctx, sys, identity.NewUser{Username: u.name, DisplayName: u.display,
			Password: "Zw-Import-Test-2026!", DepartmentIDs: u.depts, PasswordChosen: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ids.SetClearance(ctx, sys, created.ID, u.clearance); err != nil {
			t.Fatal(err)
		}
		if _, err := ids.GrantRole(ctx, sys, created.ID, u.role, ""); err != nil {
			t.Fatal(err)
		}
	}
	rt.Close()
	lastSeq := func() int64 {
		t.Helper()
		rt, err := openRuntime(ctx, cfg, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		defer rt.Close()
		n, err := rt.store.LastSeq(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	folder := t.TempDir()
	write := func(dir, name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	notice := write(folder, "2019/关于做好防汛工作的通知.txt", "各市人民政府：\n现就做好防汛工作通知如下。")
	write(folder, "2019/会议纪要.txt", "省政府第十二次常务会议纪要\n会议议定。")
	write(folder, "2019/旧网页.html", "<html><head><title>旧网页</title></head><body><p>网页。</p></body></html>")
	write(folder, "照片.jpg", "\xff\xd8\xff")
	report := filepath.Join(t.TempDir(), "report.json")
	readReport := func() bulkimport.Report { return readImportReport(t, report) }
	importArgs := func(from, as string, extra ...string) []string {
		return append([]string{"import", "--into", "archive", "--data", data, "--from", from, "--as", as, "--report", report}, extra...)
	}
	reasonsOf := func(r bulkimport.Report, origin string) []string {
		var out []string
		for _, res := range r.Results {
			if res.Origin == origin {
				for _, f := range res.Reasons {
					out = append(out, f.Field)
				}
			}
		}
		return out
	}

	// A folder says nothing of its files' 密级: without --classification
	// every file is refused on it, none taken in as 非密.
	code, _, errOut := runCmd(t, "", nil, importArgs(folder, "archivist", "--dry-run")...)
	if r := readReport(); code != 1 || r.Valid != 0 || !slices.Contains(reasonsOf(r, "2019/会议纪要.txt"), "classification") {
		t.Fatalf("a folder without --classification: %d %+v\n%s", code, r, errOut)
	}

	// The dry run checks everything and writes nothing.
	before := lastSeq()
	code, _, errOut = runCmd(t, "", nil, importArgs(folder, "archivist", "--dry-run", "--classification", "非密")...)
	r := readReport()
	if code != 1 || r.Valid != 2 || r.Refused != 2 || !r.DryRun || !slices.Equal(reasonsOf(r, "照片.jpg"), []string{"file"}) ||
		!slices.Equal(reasonsOf(r, "2019/旧网页.html"), []string{"file"}) || !strings.Contains(errOut, "试运行") {
		t.Fatalf("dry run: %d %+v\n%s", code, r, errOut)
	}
	if after := lastSeq(); after != before {
		t.Fatalf("the dry run wrote: feed %d → %d", before, after)
	}

	// The import: two records, progress on stderr.
	code, _, errOut = runCmd(t, "", nil, importArgs(folder, "archivist", "--retention", "定期10年", "--classification", "非密")...)
	r = readReport()
	if code != 1 || r.Imported != 2 || r.Into != "archive" || !strings.Contains(errOut, "[4/4]") || !strings.Contains(errOut, "入档案") {
		t.Fatalf("import: %d %+v\n%s", code, r, errOut)
	}
	var noticeID, noticeNo string
	for _, res := range r.Results {
		if res.Origin == "2019/关于做好防汛工作的通知.txt" {
			noticeID, noticeNo = res.DocID, res.ArchiveNo
		}
	}
	// 年度 from the folder the file is in.
	if noticeNo != "Z001-2019-D10-0001" && noticeNo != "Z001-2019-D10-0002" {
		t.Fatalf("the notice's 档号: %q", noticeNo)
	}

	// A rerun finds both and writes nothing.
	before = lastSeq()
	code, _, errOut = runCmd(t, "", nil, importArgs(folder, "archivist", "--classification", "非密")...)
	if r := readReport(); code != 1 || r.Imported != 0 || r.Existing != 2 {
		t.Fatalf("rerun: %d %+v\n%s", code, r, errOut)
	}
	if after := lastSeq(); after != before {
		t.Fatalf("the rerun wrote: feed %d → %d", before, after)
	}

	// A CSV export: one good row, and one refusal for each field.
	export := t.TempDir()
	write(export, "files/批复.pdf", "%PDF-1.4 old scan")
	write(export, "files/函.txt", "关于商请支持的函")
	csvText := "标题,文号,发文机关,成文日期,密级,保管期限,文件,备注\n" +
		"关于同意设立开发区的批复,皖政秘〔2018〕12号,安徽省人民政府,2018年3月8日,秘密,永久,files/批复.pdf,x\n" +
		",皖政办函〔2018〕1号,安徽省人民政府办公厅,2018-01-02,非密,定期30年,files/函.txt,\n" +
		"关于商请支持的函,,省政府办公厅,2018-01-03,内部,定期30年,files/函.txt,\n" +
		"关于商请协助的函,,省政府办公厅,2018-01-04,非密,五年,files/函.txt,\n" +
		"关于商请配合的函,,省政府办公厅,2018-01-05,非密,10年,files/不存在.txt,\n" +
		"关于商请答复的函,,省政府办公厅,去年,非密,10年,files/函.txt,\n"
	csvPath := write(export, "旧档案目录.csv", csvText)
	code, _, errOut = runCmd(t, "", nil, importArgs(csvPath, "archivist")...)
	r = readReport()
	if code != 1 || r.Imported != 1 || r.Refused != 5 || !strings.Contains(errOut, "备注") {
		t.Fatalf("csv: %d %+v\n%s", code, r, errOut)
	}
	for origin, field := range map[string]string{"旧档案目录.csv 第 3 行": "title", "旧档案目录.csv 第 4 行": "classification",
		"旧档案目录.csv 第 5 行": "retention", "旧档案目录.csv 第 6 行": "file", "旧档案目录.csv 第 7 行": "date"} {
		if got := reasonsOf(r, origin); !slices.Equal(got, []string{field}) {
			t.Errorf("%s: refused for %v, want %s", origin, got, field)
		}
	}
	approval := r.Results[0]

	// A JSON export, English names, 年度 without a 成文日期.
	jsonPath := write(export, "old.json", `{"items":[{"title":"关于2009年度工作的总结","docNumber":"皖政办〔2009〕7号","year":"2009",`+
		`"classification":"非密","retention":"D30","file":"files/批复.pdf","department":"zonghe"}]}`)
	code, _, errOut = runCmd(t, "", nil, importArgs(jsonPath, "archivist")...)
	if r := readReport(); code != 0 || r.Imported != 1 || !strings.HasPrefix(r.Results[0].ArchiveNo, "Z001-2009-D30-") {
		t.Fatalf("json: %d %+v\n%s", code, r, errOut)
	}

	// A 系统管理员 may not import (the three officers stay apart), and
	// learns nothing of what was imported; each refusal is audited.
	before = lastSeq()
	code, _, errOut = runCmd(t, "", nil, importArgs(csvPath, "sysadmin")...)
	r = readReport()
	if code != 1 || r.Imported != 0 || r.Existing != 0 || r.Refused != 6 || !slices.Equal(reasonsOf(r, "旧档案目录.csv 第 2 行"), []string{"as"}) {
		t.Fatalf("sysadmin: %d %+v\n%s", code, r, errOut)
	}
	if after := lastSeq(); after <= before {
		t.Fatal("the refusal was not audited")
	}

	// The records: provenance, the original with its digest, intact.
	rt, err = openRuntime(ctx, cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	rec, _, err := store.Load[archive.Record](ctx, rt.store, archive.Collection, noticeID)
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := os.ReadFile(notice)
	digest := sha256.Sum256(orig)
	if rec.ImportedFrom == nil || rec.ImportedFrom.Source != "2019/关于做好防汛工作的通知.txt" || rec.Title != "关于做好防汛工作的通知" ||
		rec.Retention != archive.Term10 || rec.DocType != "通知" || len(rec.Parts) != 1 || rec.Parts[0].SHA256 != hex.EncodeToString(digest[:]) {
		t.Fatalf("the imported notice: %+v", rec)
	}
	sealed, _, err := store.Load[archive.Record](ctx, rt.store, archive.Collection, approval.DocID)
	if err != nil || sealed.Classification != classification.Mimi || sealed.Retention != archive.Permanent || sealed.WrittenOn != "2018-03-08" ||
		sealed.Year != 2018 || sealed.DocNumber != "皖政秘〔2018〕12号" || sealed.Department != "zonghe" {
		t.Fatalf("the imported approval: %v %+v", err, sealed)
	}
	svc, closeIntake, err := openArchiveIntake(rt, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer closeIntake()
	keeper, err := rt.identity().PrincipalByUsername(ctx, "archivist")
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	v, err := svc.Check(ctx, records.Actor{P: keeper, IP: "test"}, noticeID)
	if err != nil || v.Document.Fixity != archive.FixityIntact {
		t.Fatalf("fixity of the imported notice: %v %+v", err, v.Document)
	}
}
