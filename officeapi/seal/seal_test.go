package seal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"regexp"
	"strings"
	"testing"
	"time"

	"zhengwu/officeapi/layout"
	"zhengwu/officeapi/officetest"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/seal"
	"zhengwu/search/source"
	"zhengwu/shared/classification"
	"zhengwu/shared/kek"
	"zhengwu/shared/problem"
)

// newSeal is the demo office with the seal on a fresh store.
func newSeal(t testing.TB) (*officetest.Env, *seal.Service, kek.Key) {
	e := officetest.New(t)
	master := kek.MustGenerate()
	svc, err := seal.New(seal.Deps{Store: e.Store, Trail: e.Trail, Master: master, Departments: e.Identity.Departments,
		Now: e.Clock.Now, Log: e.Log})
	if err != nil {
		t.Fatal(err)
	}
	return e, svc, master
}

func actor(t testing.TB, e *officetest.Env, username string) records.Actor {
	t.Helper()
	p, err := e.Identity.PrincipalByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return records.Actor{P: p, IP: "192.0.2.1"}
}

// fontsOrSkip are the Debian fonts the layout uses; a machine without
// them skips (the layout's own tests say which is missing).
func fontsOrSkip(t testing.TB) layout.Fonts {
	t.Helper()
	f := layout.SystemFonts()
	if _, err := layout.Render(doc(1), f); errors.Is(err, layout.ErrFontMissing) {
		t.Skip(err)
	}
	return f
}

// doc is a sealed 通知 whose body fills about pages pages.
func doc(pages int) officialdoc.Document {
	body := strings.Repeat("<p>为深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，进一步提升政务公开标准化规范化水平，经省政府同意，现将有关事项通知如下。</p>", 1+(pages-1)*7)
	return officialdoc.Document{ID: "d1", Direction: officialdoc.Outgoing, DocType: "通知", Classification: classification.Level("非密"),
		Issuer: "安徽省人民政府办公厅", IssuerCode: "皖政办", DocNumber: "皖政办〔2026〕12号",
		Title: "安徽省人民政府办公厅关于进一步加强政务公开工作的通知", MainTo: []string{"各市人民政府"},
		Body: body, Signature: "安徽省人民政府办公厅", WrittenOn: "2026-03-05", Sealed: true,
		PrintedBy: "安徽省人民政府办公厅", PrintedOn: "2026-03-06"}
}

// renderer renders d with the layout and remembers the options it got.
func renderer(t testing.TB, d officialdoc.Document, fonts layout.Fonts, got *layout.Options) func(layout.Options) ([]byte, error) {
	return func(o layout.Options) ([]byte, error) {
		*got = o
		return layout.RenderWith(d, fonts, o)
	}
}

func generate(t testing.TB, e *officetest.Env, svc *seal.Service, unit string) seal.Unit {
	t.Helper()
	u, err := svc.Generate(context.Background(), actor(t, e, "secadmin"), unit, seal.KeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSealAndVerify(t *testing.T) {
	e, svc, _ := newSeal(t)
	fonts := fontsOrSkip(t)
	ctx := context.Background()
	u := generate(t, e, svc, "office")
	key, ok := u.Active()
	if !ok || key.Algorithm != "SM2" || u.Name != "省政府办公厅" {
		t.Fatalf("generated: %+v", u)
	}
	var opts layout.Options
	d := doc(1)
	pdf, err := svc.SealDocument(ctx, actor(t, e, "printer"), "office", d, renderer(t, d, fonts, &opts))
	if err != nil {
		t.Fatal(err)
	}
	if opts.Seal == nil || opts.Seal.Bounds().Dx() < 400 {
		t.Fatalf("the rendering got no seal image: %+v", opts)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatal("not a PDF")
	}
	// A viewer opens the sealed file: PDFium (Chromium's reader) reads
	// it, the update after %%EOF included.
	text, err := source.Extract(ctx, source.KindPDF, bytes.NewReader(pdf), source.Limits{})
	if err != nil || !strings.Contains(text, "政务公开") {
		t.Fatalf("PDFium on the sealed file: %v %q", err, text)
	}
	r, err := svc.Verify(ctx, pdf)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Valid || !r.Intact || r.Unit != "office" || r.UnitName != "省政府办公厅" || r.KeyID != key.ID || r.KeyState != seal.Active ||
		r.Signer != e.UserID("printer") || r.SignerName != "赵文印" || r.Document != "d1" || !r.SignedAt.Equal(e.Clock.Now().UTC().Truncate(time.Second)) {
		t.Fatalf("report: %+v", r)
	}
	// Each use of the key is audited: who, which unit, which document.
	en := e.Audited("seal.sign", seal.Collection+"/office")
	if len(en) != 1 || en[0].Actor != e.UserID("printer") || en[0].Details["document"] != "d1" || en[0].Details["keyId"] != key.ID {
		t.Fatalf("audit: %+v", en)
	}
}

// A single changed byte anywhere in the signed range fails, and so does
// one in the signature's padding; bytes appended after the seal too.
func TestChangedByteFails(t *testing.T) {
	e, svc, _ := newSeal(t)
	fonts := fontsOrSkip(t)
	generate(t, e, svc, "office")
	var o layout.Options
	d := doc(1)
	pdf, err := svc.Seal(context.Background(), actor(t, e, "printer"), "office", renderer(t, d, fonts, &o))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := svc.Keyring(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Every byte of the update the seal appended (its dictionary, the
	// signature value, the cross-reference section), and every 31st byte
	// of the rest, changed two ways (a bit, a letter's case).
	update := bytes.Index(pdf, []byte("%%EOF")) + len("%%EOF") // the layout's own end
	for at := 0; at < len(pdf); at++ {
		if at < update && at%31 != 0 {
			continue
		}
		for _, flip := range []byte{0x01, 0x20} {
			changed := bytes.Clone(pdf)
			changed[at] ^= flip
			r, err := seal.Verify(changed, keys)
			if err == nil && (r.Valid || r.Intact) {
				t.Fatalf("byte %d of %d changed (^%#x): still valid %+v", at, len(pdf), flip, r)
			}
		}
	}
	appended := append(bytes.Clone(pdf), "1 0 obj\n<<>>\nendobj\n"...)
	if r, err := seal.Verify(appended, keys); err != nil || r.Valid || r.Intact {
		t.Errorf("appended after sealing: %+v %v", r, err)
	}
	if r, err := seal.Verify(pdf, keys); err != nil || !r.Valid {
		t.Fatalf("the original: %+v %v", r, err)
	}
}

// A file is checked against the key of the unit it names: another
// unit's key (a forged claim) fails.
func TestAnotherUnitsKeyFails(t *testing.T) {
	e, svc, _ := newSeal(t)
	fonts := fontsOrSkip(t)
	generate(t, e, svc, "office")
	hefei, _ := generate(t, e, svc, "hefei").Active()
	var o layout.Options
	pdf, err := svc.Seal(context.Background(), actor(t, e, "printer"), "office", renderer(t, doc(1), fonts, &o))
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := svc.Keyring(context.Background())
	office := keys
	// The office's key id in the file, with 合肥's key under that id.
	for id, k := range office {
		if k.Unit == "office" {
			k.PublicKey = hefei.PublicKey
			keys = seal.Keyring{id: k, hefei.ID: hefei}
		}
	}
	if r, err := seal.Verify(pdf, keys); err != nil || r.Valid || r.Intact {
		t.Fatalf("verified with 合肥's public key: %+v %v", r, err)
	}
	// The key of another unit, named as the office's: refused as such.
	var only = seal.Keyring{}
	for id, k := range office {
		if k.Unit == "office" {
			k.Unit = "hefei"
			only[id] = k
		}
	}
	if r, err := seal.Verify(pdf, only); err != nil || r.Valid || len(r.Problems) == 0 {
		t.Fatalf("a key of another unit: %+v %v", r, err)
	}
	if r, err := seal.Verify(pdf, seal.Keyring{}); err != nil || r.Valid || r.KeyState != "unknown" {
		t.Fatalf("an unknown key: %+v %v", r, err)
	}
}

// Rotation keeps the old key's public half: files it sealed still verify,
// as rotated; the new key seals from then on. A revoked key verifies
// what it sealed before its revocation, not after.
func TestRotatedAndRevokedKeys(t *testing.T) {
	e, svc, master := newSeal(t)
	fonts := fontsOrSkip(t)
	ctx := context.Background()
	old, _ := generate(t, e, svc, "office").Active()
	var o layout.Options
	before, err := svc.Seal(ctx, actor(t, e, "printer"), "office", renderer(t, doc(1), fonts, &o))
	if err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(time.Hour)
	u, err := svc.Generate(ctx, actor(t, e, "secadmin"), "office", seal.KeyInput{Reason: "年度更换"})
	if err != nil {
		t.Fatal(err)
	}
	next, _ := u.Active()
	if len(u.Keys) != 2 || u.Keys[0].State != seal.Rotated || next.ID == old.ID {
		t.Fatalf("rotated: %+v", u)
	}
	if len(e.Audited("seal.key.rotate", seal.Collection+"/office")) != 1 {
		t.Fatal("the rotation is not audited")
	}
	r, err := svc.Verify(ctx, before)
	if err != nil || !r.Valid || r.KeyState != seal.Rotated || r.KeyID != old.ID {
		t.Fatalf("a file sealed before the rotation: %+v %v", r, err)
	}
	after, err := svc.Seal(ctx, actor(t, e, "printer"), "office", renderer(t, doc(1), fonts, &o))
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := svc.Verify(ctx, after); !r.Valid || r.KeyID != next.ID {
		t.Fatalf("sealed after the rotation: %+v", r)
	}
	// The retired key's private half is destroyed.
	raw, err := e.Store.Get(ctx, seal.Collection, "office")
	if err != nil {
		t.Fatal(err)
	}
	var stored struct {
		Private map[string]kek.Sealed `json:"private"`
	}
	if err := json.Unmarshal(raw.Data, &stored); err != nil || len(stored.Private) != 1 || stored.Private[next.ID].KEK != master.ID() {
		t.Fatalf("private keys kept: %v %v", stored.Private, err)
	}

	e.Clock.Advance(time.Hour)
	if _, err := svc.Revoke(ctx, actor(t, e, "secadmin"), "office", next.ID, seal.RevokeInput{Reason: "密钥泄露"}); err != nil {
		t.Fatal(err)
	}
	if r, _ := svc.Verify(ctx, after); !r.Valid || r.KeyState != seal.Revoked {
		t.Fatalf("sealed before the revocation: %+v", r)
	}
	_, err = svc.Seal(ctx, actor(t, e, "printer"), "office", renderer(t, doc(1), fonts, &o))
	wantProblem(t, err, 409, problem.CodeInvalidState)
}

// Only the security administrator manages seals; sealing refuses 纪要 and
// a unit without a key; a department that is not an issuing unit is 404.
func TestRefusals(t *testing.T) {
	e, svc, _ := newSeal(t)
	ctx := context.Background()
	for _, user := range []string{"sysadmin", "auditor", "director", "printer"} {
		_, err := svc.Generate(ctx, actor(t, e, user), "office", seal.KeyInput{})
		wantProblem(t, err, 403, problem.CodeForbidden)
		_, err = svc.Units(ctx, actor(t, e, user).P)
		wantProblem(t, err, 403, problem.CodeForbidden)
	}
	if n := len(e.Audited("seal.key.generate", seal.Collection+"/office")); n != 4 {
		t.Fatalf("refusals recorded: %d", n)
	}
	_, err := svc.Generate(ctx, actor(t, e, "secadmin"), "xinxi", seal.KeyInput{})
	wantProblem(t, err, 404, problem.CodeNotFound)

	render := func(layout.Options) ([]byte, error) { t.Fatal("rendered"); return nil, nil }
	_, err = svc.Seal(ctx, actor(t, e, "printer"), "office", render)
	wantProblem(t, err, 409, problem.CodeInvalidState) // no key yet
	generate(t, e, svc, "office")
	minutes := doc(1)
	minutes.DocType, minutes.Sealed = "纪要", false
	_, err = svc.SealDocument(ctx, actor(t, e, "printer"), "office", minutes, render)
	wantProblem(t, err, 409, problem.CodeInvalidState)

	_, err = svc.Revoke(ctx, actor(t, e, "secadmin"), "office", "nosuchkey", seal.RevokeInput{Reason: "x"})
	wantProblem(t, err, 404, problem.CodeNotFound)
}

// The drawn seal: round, red, transparent outside the ring.
func TestDrawnImage(t *testing.T) {
	fonts := fontsOrSkip(t)
	img, err := seal.Draw("省政府办公厅", fonts.Hei)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() != b.Dy() || b.Dx() < 400 {
		t.Fatalf("size %v", b)
	}
	if _, _, _, a := img.At(b.Min.X+2, b.Min.Y+2).RGBA(); a != 0 {
		t.Fatal("the corner is not transparent")
	}
	c := image.Pt(b.Dx()/2, b.Dy()/2) // the star's centre
	if r, g, _, a := img.At(c.X, c.Y).RGBA(); a == 0 || r < 0xC000 || g > 0x2000 {
		t.Fatalf("the centre is not red: %v", img.At(c.X, c.Y))
	}
}

// BenchmarkSealVerify seals a rendered 10-page document (the key opened,
// the signature appended, the use audited), renders and seals it, and
// verifies it.
func BenchmarkSealVerify(b *testing.B) {
	e, svc, _ := newSeal(b)
	fonts := fontsOrSkip(b)
	generate(b, e, svc, "office")
	d := doc(10)
	a := actor(b, e, "printer")
	ctx := context.Background()
	pdf, err := layout.Render(d, fonts)
	if err != nil {
		b.Fatal(err)
	}
	if n := regexp.MustCompile(`/Count (\d+)`).FindSubmatch(pdf); n == nil || string(n[1]) != "10" {
		b.Fatalf("not 10 pages: %s", n)
	}
	b.Logf("%d bytes", len(pdf))
	keys, _ := svc.Keyring(ctx)
	b.Run("seal", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.Seal(ctx, a, "office", func(layout.Options) ([]byte, error) { return pdf, nil }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("render+seal", func(b *testing.B) { // with the seal image drawn into the layout
		for b.Loop() {
			if _, err := svc.Seal(ctx, a, "office", func(o layout.Options) ([]byte, error) { return layout.RenderWith(d, fonts, o) }); err != nil {
				b.Fatal(err)
			}
		}
	})
	sealed, _ := svc.Seal(ctx, a, "office", func(layout.Options) ([]byte, error) { return pdf, nil })
	b.Run("verify", func(b *testing.B) {
		for b.Loop() {
			if r, err := seal.Verify(sealed, keys); err != nil || !r.Valid {
				b.Fatal(r, err)
			}
		}
	})
}

func wantProblem(t *testing.T, err error, status int, code string) {
	t.Helper()
	if p := problem.As(err); p == nil || p.Status != status || p.Code != code {
		t.Fatalf("got %v, want %d %s", err, status, code)
	}
}
