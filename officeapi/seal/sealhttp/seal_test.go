package sealhttp_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"log/slog"
	"strings"
	"testing"

	"zhengwu/officeapi"
	"zhengwu/officeapi/layout"
	"zhengwu/officeapi/officetest"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/seal"
	"zhengwu/officeapi/seal/sealhttp"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/kek"
	"zhengwu/shared/openapi"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/problem"
	"zhengwu/shared/testkit"
)

const base = "/api/office/v1"

// newEnv mounts the seal on the demo office; its log goes to logs, and
// GET /documents/{id}/pdf/verify answers the files in sealed by id.
func newEnv(t *testing.T) (*officetest.Env, *seal.Service, *bytes.Buffer, map[string][]byte) {
	e := officetest.New(t)
	logs := &bytes.Buffer{}
	svc, err := seal.New(seal.Deps{Store: e.Store, Trail: e.Trail, Master: e.Master, Departments: e.Identity.Departments,
		Now: e.Clock.Now, Log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	sealed := map[string][]byte{}
	routes := sealhttp.Routes(svc, e.Tokens, func(ctx context.Context, p *auth.Principal, id string) ([]byte, error) {
		if pdf, ok := sealed[id]; ok {
			return pdf, nil
		}
		return nil, problem.NotFound("公文不存在", "no such document")
	})
	openapi.Mount(e.App.Group(officeapi.Base), routes)
	e.Routes = append(e.Routes, routes...)
	return e, svc, logs, sealed
}

func fontsOrSkip(t *testing.T) layout.Fonts {
	f := layout.SystemFonts()
	if _, err := seal.Draw("测试", f.Hei); errors.Is(err, layout.ErrFontMissing) {
		t.Skip(err)
	}
	return f
}

func notice() officialdoc.Document {
	return officialdoc.Document{ID: "d1", Direction: officialdoc.Outgoing, DocType: "通知", Classification: classification.Level("非密"),
		Issuer: "安徽省人民政府办公厅", IssuerCode: "皖政办", DocNumber: "皖政办〔2026〕12号", Title: "关于进一步加强政务公开工作的通知",
		MainTo: []string{"各市人民政府"}, Body: "<p>现将有关事项通知如下。</p>", Signature: "安徽省人民政府办公厅",
		WrittenOn: "2026-03-05", Sealed: true, PrintedBy: "安徽省人民政府办公厅", PrintedOn: "2026-03-06"}
}

// The security administrator generates, lists, rotates and revokes; the
// private key is in no answer, no audit entry and no log line.
func TestKeyAdministration(t *testing.T) {
	e, _, logs, _ := newEnv(t)
	api := officeapi.API(e.Routes)
	sec := e.TokenOf("secadmin")

	r := e.Do("GET", base+"/seal/units", sec, nil)
	openapitest.Response(t, api, "GET", "/seal/units", r.Status, r.Body)
	var units []seal.Unit
	r.Decode(t, &units)
	if len(units) != 3 || units[0].ID != "office" || units[1].ID != "hefei" || units[2].ID != "fgw" || len(units[0].Keys) != 0 {
		t.Fatalf("units: %s", r.Body)
	}
	r = e.Do("POST", base+"/seal/units/office/keys", sec, nil)
	openapitest.Response(t, api, "POST", "/seal/units/{unit}/keys", r.Status, r.Body)
	if r.Status != 201 {
		t.Fatalf("generate: %d %s", r.Status, r.Body)
	}
	var u seal.Unit
	r.Decode(t, &u)
	if first, ok := u.Active(); !ok || first.CreatedBy != e.UserID("secadmin") {
		t.Fatalf("generated: %s", r.Body)
	}
	answers := [][]byte{r.Body}
	r = e.Do("POST", base+"/seal/units/office/keys", sec, map[string]any{"reason": "年度更换"})
	answers = append(answers, r.Body)
	r.Decode(t, &u)
	if r.Status != 201 || len(u.Keys) != 2 || u.Keys[0].State != seal.Rotated || u.Keys[0].Reason != "年度更换" {
		t.Fatalf("rotate: %d %s", r.Status, r.Body)
	}
	second, _ := u.Active()

	// Revocation needs a reason, named; an unknown key is 404.
	r = e.Do("POST", base+"/seal/units/office/keys/"+second.ID+"/revoke", sec, map[string]any{})
	if p := testkit.WantProblem(t, r, 400, problem.CodeInvalid); !strings.Contains(string(r.Body), `"reason"`) {
		t.Fatalf("no field named: %v", p)
	}
	testkit.WantProblem(t, e.Do("POST", base+"/seal/units/office/keys/nosuchkey/revoke", sec, map[string]any{"reason": "泄露"}), 404, problem.CodeNotFound)
	testkit.WantProblem(t, e.Do("POST", base+"/seal/units/xinxi/keys", sec, nil), 404, problem.CodeNotFound)
	r = e.Do("POST", base+"/seal/units/office/keys/"+second.ID+"/revoke", sec, map[string]any{"reason": "密钥泄露"})
	openapitest.Response(t, api, "POST", "/seal/units/{unit}/keys/{keyId}/revoke", r.Status, r.Body)
	answers = append(answers, r.Body)
	r.Decode(t, &u)
	if _, active := u.Active(); active || u.Keys[1].State != seal.Revoked {
		t.Fatalf("revoked: %s", r.Body)
	}
	r = e.Do("GET", base+"/seal/units/office", sec, nil)
	openapitest.Response(t, api, "GET", "/seal/units/{unit}", r.Status, r.Body)
	answers = append(answers, r.Body)
	r = e.Do("POST", base+"/seal/units/office/keys", sec, nil)
	answers = append(answers, r.Body)
	r.Decode(t, &u)
	third, _ := u.Active()

	// The private key: the stored one, opened, appears nowhere.
	raw, err := e.Store.Get(context.Background(), seal.Collection, "office")
	if err != nil {
		t.Fatal(err)
	}
	var stored struct {
		Private map[string]kek.Sealed `json:"private"`
	}
	if err := json.Unmarshal(raw.Data, &stored); err != nil || len(stored.Private) != 1 {
		t.Fatalf("stored: %v %v", stored, err)
	}
	der, err := e.Master.Open(stored.Private[third.ID], []byte("zhengwu seal key "+third.ID))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw.Data, der) || strings.Contains(string(raw.Data), base64.StdEncoding.EncodeToString(der)) {
		t.Fatal("the private key is stored in the clear")
	}
	var trail bytes.Buffer
	entries, _ := e.Trail.List(context.Background(), 0, 10000)
	for _, en := range entries {
		b, _ := json.Marshal(en)
		trail.Write(b)
	}
	for _, where := range map[string][]byte{"answers": bytes.Join(answers, nil), "audit": trail.Bytes(), "logs": logs.Bytes()} {
		for _, form := range []string{base64.StdEncoding.EncodeToString(der), hex.EncodeToString(der), base64.StdEncoding.EncodeToString(der[len(der)-32:]),
			hex.EncodeToString(der[len(der)-40:]), stored.Private[third.ID].Data, `"private"`} {
			if strings.Contains(strings.ToLower(string(where)), strings.ToLower(form)) {
				t.Fatalf("the private key (or its sealed form) is given away")
			}
		}
	}
	for _, action := range []string{"seal.key.generate", "seal.key.rotate", "seal.key.revoke"} {
		if len(e.Audited(action, seal.Collection+"/office")) == 0 {
			t.Errorf("%s not audited", action)
		}
	}
}

// Only the security administrator manages seals: the other officers, a
// leader, the printer are refused every management route.
func TestOnlyTheSecurityAdministratorManages(t *testing.T) {
	e, _, _, _ := newEnv(t)
	e.Do("POST", base+"/seal/units/office/keys", e.TokenOf("secadmin"), nil)
	for _, user := range []string{"sysadmin", "auditor", "director", "printer", "staff"} {
		tok := e.TokenOf(user)
		for _, rq := range []struct{ method, path string }{
			{"GET", "/seal/units"}, {"GET", "/seal/units/office"}, {"POST", "/seal/units/office/keys"},
			{"GET", "/seal/units/office/image"}, {"DELETE", "/seal/units/office/image"},
		} {
			testkit.WantProblem(t, e.Do(rq.method, base+rq.path, tok, nil), 403, problem.CodeForbidden)
		}
	}
	testkit.WantProblem(t, e.Do("GET", base+"/seal/units", "", nil), 401, "")
}

// The image: drawn until one is uploaded; an upload must be a square PNG
// (the field named); deleting it goes back to the drawn one.
func TestImage(t *testing.T) {
	e, _, _, _ := newEnv(t)
	fontsOrSkip(t)
	api := officeapi.API(e.Routes)
	sec := e.TokenOf("secadmin")
	r := e.Do("GET", base+"/seal/units/hefei/image", sec, nil)
	openapitest.Response(t, api, "GET", "/seal/units/{unit}/image", r.Status, r.Body)
	img, err := png.Decode(bytes.NewReader(r.Body))
	if r.Status != 200 || err != nil || img.Bounds().Dx() != img.Bounds().Dy() {
		t.Fatalf("drawn image: %d %v", r.Status, err)
	}
	put := func(body []byte) testkit.Response {
		return testkit.Send(t, e.App, testkit.Request{Method: "PUT", Path: base + "/seal/units/hefei/image", Token: sec, Body: body,
			Headers: map[string]string{"Content-Type": "image/png"}})
	}
	r = put([]byte("not a png"))
	if testkit.WantProblem(t, r, 400, problem.CodeInvalid); !strings.Contains(string(r.Body), `"image"`) {
		t.Fatalf("field: %s", r.Body)
	}
	var wide bytes.Buffer
	png.Encode(&wide, image.NewRGBA(image.Rect(0, 0, 300, 200)))
	testkit.WantProblem(t, put(wide.Bytes()), 400, problem.CodeInvalid)
	var square bytes.Buffer
	png.Encode(&square, image.NewRGBA(image.Rect(0, 0, 300, 300)))
	r = put(square.Bytes())
	if r.Status != 200 || r.JSON()["customImage"] != true {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	if r = e.Do("GET", base+"/seal/units/hefei/image", sec, nil); !bytes.Equal(r.Body, square.Bytes()) {
		t.Fatal("the uploaded image is not the one answered")
	}
	r = e.Do("DELETE", base+"/seal/units/hefei/image", sec, nil)
	if r.Status != 200 || r.JSON()["customImage"] != false {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
}

// Any member of staff verifies an uploaded file; a document's stored
// sealed file verifies by its id; a changed byte shows; junk is a 400
// naming the file.
func TestVerify(t *testing.T) {
	e, svc, _, sealed := newEnv(t)
	fonts := fontsOrSkip(t)
	api := officeapi.API(e.Routes)
	e.Do("POST", base+"/seal/units/office/keys", e.TokenOf("secadmin"), nil)
	printer, err := e.Identity.PrincipalByUsername(context.Background(), "printer")
	if err != nil {
		t.Fatal(err)
	}
	d := notice()
	pdf, err := svc.SealDocument(context.Background(), records.Actor{P: printer, IP: "test"}, "office", d,
		func(o layout.Options) ([]byte, error) { return layout.RenderWith(d, fonts, o) })
	if err != nil {
		t.Fatal(err)
	}
	post := func(user string, body []byte) testkit.Response {
		return testkit.Send(t, e.App, testkit.Request{Method: "POST", Path: base + "/seal/verify", Token: e.TokenOf(user), Body: body,
			Headers: map[string]string{"Content-Type": "application/pdf"}})
	}
	r := post("staff", pdf)
	openapitest.Response(t, api, "POST", "/seal/verify", r.Status, r.Body)
	var rep seal.Report
	r.Decode(t, &rep)
	if r.Status != 200 || !rep.Valid || rep.Unit != "office" || rep.SignerName != "赵文印" || rep.Document != "d1" {
		t.Fatalf("verify: %d %s", r.Status, r.Body)
	}
	changed := bytes.Clone(pdf)
	i := bytes.Index(changed, []byte("/Count 1"))
	changed[i+7] = '2'
	r = post("secadmin", changed)
	r.Decode(t, &rep)
	if r.Status != 200 || rep.Valid || rep.Intact || len(rep.Problems) == 0 {
		t.Fatalf("a changed byte: %d %s", r.Status, r.Body)
	}
	r = post("staff", []byte("%PDF-1.7 no seal here"))
	if testkit.WantProblem(t, r, 400, problem.CodeInvalid); !strings.Contains(string(r.Body), `"file"`) {
		t.Fatalf("field: %s", r.Body)
	}
	testkit.WantProblem(t, post("sysadmin", pdf), 403, problem.CodeForbidden)

	sealed["d1"] = pdf
	r = e.Do("GET", base+"/documents/d1/pdf/verify", e.TokenOf("staff"), nil)
	openapitest.Response(t, api, "GET", "/documents/{id}/pdf/verify", r.Status, r.Body)
	if r.Decode(t, &rep); r.Status != 200 || !rep.Valid {
		t.Fatalf("by id: %d %s", r.Status, r.Body)
	}
	testkit.WantProblem(t, e.Do("GET", base+"/documents/nosuch/pdf/verify", e.TokenOf("staff"), nil), 404, problem.CodeNotFound)
	openapitest.Routes(t, api, e.App)
}
