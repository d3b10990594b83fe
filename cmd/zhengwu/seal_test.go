package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/layout"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/seal"
	"zhengwu/shared/auth"
	"zhengwu/shared/config"
)

// sealIn opens the data folder's runtime, gives 省政府办公厅 a key if it has
// none, and seals a 通知 with it.
func sealIn(t *testing.T, dir string, env map[string]string) []byte {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Parse([]string{"--data=" + dir}, envOf(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := openRuntime(ctx, cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	svc, err := seal.New(seal.Deps{Store: rt.store, Trail: rt.trail, Master: rt.master,
		Departments: func(context.Context) ([]identity.Department, error) {
			return []identity.Department{{ID: "office", Name: "省政府办公厅"}}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	sec := records.Actor{P: &auth.Principal{UserID: "u-sec", Name: "安全员", Perms: map[string][]string{auth.PermSealManage.Key(): {auth.OfficeWide}}}}
	if u, err := svc.Unit(ctx, sec.P, "office"); err != nil {
		t.Fatal(err)
	} else if _, ok := u.Active(); !ok {
		if _, err := svc.Generate(ctx, sec, "office", seal.KeyInput{}); err != nil {
			t.Fatal(err)
		}
	}
	d := officialdoc.Document{ID: "d1", DocType: "通知", Title: "关于开展检查的通知", Body: "<p>现将有关事项通知如下。</p>",
		Issuer: "安徽省人民政府办公厅", Signature: "安徽省人民政府办公厅", WrittenOn: "2026-03-05", Sealed: true}
	pdf, err := svc.Seal(ctx, records.Actor{P: &auth.Principal{UserID: "u-print", Name: "赵文印"}}, "office",
		func(o layout.Options) ([]byte, error) { return layout.RenderWith(d, layout.SystemFonts(), o) })
	if errors.Is(err, layout.ErrFontMissing) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}

// zhengwu seal verify reads the public keys from the data folder: a
// sealed file is valid (exit 0, who and which unit said), a changed one is
// not (exit 1); after the master key's rotation the seal keys still open.
func TestSealVerifyFromTheCLI(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(t.TempDir(), "sealed.pdf")
	pdf := sealIn(t, dir, nil)
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "", nil, "seal", "verify", "--data="+dir, file)
	if code != 0 || !strings.Contains(out, "有效 valid") || !strings.Contains(out, "省政府办公厅 (office)") || !strings.Contains(out, "赵文印") {
		t.Fatalf("verify: %d %q %q", code, out, errOut)
	}
	changed := bytes.Clone(pdf)
	changed[len(changed)/3] ^= 0x20
	_ = os.WriteFile(file, changed, 0o600)
	if code, out, _ := runCmd(t, "", nil, "seal", "verify", "--data="+dir, file); code != 1 || !strings.Contains(out, "NOT VALID") {
		t.Fatalf("a changed file: %d %q", code, out)
	}
	if code, _, errOut := runCmd(t, "", nil, "seal", "verify", "--data="+dir); code != 2 || !strings.Contains(errOut, "usage") {
		t.Fatalf("no file: %d %q", code, errOut)
	}

	newKey := filepath.Join(t.TempDir(), "master.key")
	if code, out, errOut := runCmd(t, "", nil, "admin", "rotate-keys", "--data="+dir, "--rotate-master-key", "--new-key-file", newKey); code != 0 {
		t.Fatalf("rotate the master key: %d %q %q", code, out, errOut)
	}
	again := sealIn(t, dir, map[string]string{"ZHENGWU_KEY_FILE": newKey})
	_ = os.WriteFile(file, again, 0o600)
	if code, out, _ := runCmd(t, "", nil, "seal", "verify", "--data="+dir, file); code != 0 {
		t.Fatalf("sealed under the new master key: %d %q", code, out)
	}
}
