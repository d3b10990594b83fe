package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zhengwu/cms/bulkimport"
	"zhengwu/officeapi/demo"
	"zhengwu/officeapi/identity"
	"zhengwu/shared/config"
)

// zhengwu import, end to end on a data directory: the dry run reports
// and writes nothing, the import publishes (director) or drafts
// (editor), a refusal makes the exit code 1 with the reason in the
// report, a rerun imports nothing again.
func TestImportCommand(t *testing.T) {
	data := t.TempDir()
	cfg, err := config.Parse([]string{"--data", data}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := openRuntime(context.Background(), cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	// Two of the demo's accounts (not the whole demo: each password hash
	// costs a second under -race): 王建国 reviews and publishes
	// office-wide and here also edits in 信息处, 李文静 edits in 信息处.
	ids, sys := rt.identity(), identity.Actor{IP: "local"}
	for _, d := range demo.Departments {
		if d.ID == "office" || d.ID == "xinxi" {
			if _, err := ids.CreateDepartment(context.Background(), sys, d); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, u := range []struct {
		name, display, dept string
		grants              [][2]string
	}{
		{"director", "王建国", "office", [][2]string{{"reviewer", ""}, {"editor", "xinxi"}}},
		{"editor", "李文静", "xinxi", [][2]string{{"editor", "xinxi"}}},
	} {
		created, err := ids.CreateUser(context.Background(), sys, identity.NewUser{Username: u.name, DisplayName: u.display,
			Password: "Zw-Import-Test-2026!", DepartmentIDs: []string{u.dept}, PasswordChosen: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range u.grants {
			if _, err := ids.GrantRole(context.Background(), sys, created.ID, g[0], g[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	rt.Close()

	from := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(from, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("关于做好岁末年初安全生产工作的通知.txt", "各市人民政府，省政府各部门：\n为切实做好岁末年初安全生产工作，现将有关事项通知如下。")
	write("政务公开.html", "<html><head><title>全省政务公开工作推进会召开</title></head><body><p>会议要求，进一步提升政务公开质量。</p></body></html>")
	report := filepath.Join(t.TempDir(), "report.json")
	args := func(extra ...string) []string {
		return append([]string{"import", "--data", data, "--from", from, "--channel", "news", "--report", report}, extra...)
	}
	readReport := func() bulkimport.Report { return readImportReport(t, report) }

	code, _, errOut := runCmd(t, "", nil, args("--as", "director", "--dry-run")...)
	if r := readReport(); code != 0 || r.Valid != 2 || !r.DryRun || !strings.Contains(errOut, "试运行") {
		t.Fatalf("dry run: %d %+v\n%s", code, r, errOut)
	}
	code, _, errOut = runCmd(t, "", nil, args("--as", "director")...)
	if r := readReport(); code != 0 || r.Imported != 2 || !r.Publishes || !strings.Contains(errOut, "[2/2]") {
		t.Fatalf("import: %d %+v\n%s", code, r, errOut)
	}
	// A rerun, now with a file that cannot be imported, as an editor.
	write("扫描件.pdf", "%PDF-1.4 not really")
	code, _, errOut = runCmd(t, "", nil, args("--as", "editor")...)
	r := readReport()
	if code != 1 || r.Imported != 0 || r.Existing != 2 || r.Refused != 1 || r.Publishes || !strings.Contains(errOut, "拒绝 扫描件.pdf") {
		t.Fatalf("rerun: %d %+v\n%s", code, r, errOut)
	}
	if code, _, errOut := runCmd(t, "", nil, "import", "--data", data, "--from", from, "--as", "nobody"); code != 1 || !strings.Contains(errOut, "--as nobody") {
		t.Fatalf("unknown account: %d %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, "", nil, "import", "--data", data, "--from", from); code != 1 || !strings.Contains(errOut, "usage") {
		t.Fatalf("no --as: %d %s", code, errOut)
	}
}

// readImportReport reads the JSON report an import wrote (--report).
func readImportReport(t *testing.T, path string) bulkimport.Report {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r bulkimport.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}
