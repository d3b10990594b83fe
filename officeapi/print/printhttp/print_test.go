package printhttp_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"zhengwu/officeapi"
	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/officetest"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/officialdoc/officialdochttp"
	"zhengwu/officeapi/print"
	"zhengwu/officeapi/print/printhttp"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/workcal"
	"zhengwu/shared/classification"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/problem"
	"zhengwu/shared/testkit"
)

const base = "/api/office/v1"

// memFiles is the media store of these tests: files by their SHA-256.
type memFiles struct {
	mu    sync.Mutex
	files map[string][]byte
	names map[string]string
	by    map[string]string
}

func (m *memFiles) Add(_ context.Context, actor, name string, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	id := hex.EncodeToString(sum[:])
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[id], m.names[id] = bytes.Clone(data), name
	if _, ok := m.by[id]; !ok {
		m.by[id] = actor
	}
	return id, nil
}

func (m *memFiles) Open(_ context.Context, id string) (print.File, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	data, ok := m.files[id]
	if !ok {
		return print.File{}, problem.NotFound("文件不存在", "no such media")
	}
	return print.File{Name: m.names[id], Type: "application/pdf", Size: int64(len(data)), UploadedBy: m.by[id],
		Body: io.NopCloser(bytes.NewReader(data))}, nil
}

// tamper changes a stored file's bytes behind the store's back.
func (m *memFiles) tamper(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[id] = append(bytes.Clone(m.files[id]), ' ')
}

type env struct {
	*officetest.Env
	docs   *officialdoc.Service
	print  *print.Service
	files  *memFiles
	sealed bool // what the test verifier reports
	t      *testing.T
}

// newEnv is the demo office with 公文 and the print room mounted. The
// file of a document is a stand-in PDF (the layout has its own tests);
// the verifier reports the file sealed by 安徽省人民政府办公厅 while
// e.sealed says so.
func newEnv(t *testing.T, verify ...print.Verify) *env {
	e := &env{Env: officetest.New(t), files: &memFiles{files: map[string][]byte{}, names: map[string]string{}, by: map[string]string{}}, sealed: true, t: t}
	cal, err := workcal.New(workcal.Config{})
	if err != nil {
		t.Fatal(err)
	}
	e.docs, err = officialdoc.New(officialdoc.Deps{Deps: e.Deps("officialdoc"), Calendar: cal, Holders: e.Identity.Holders,
		Account: e.Identity.User, Departments: e.Identity.Departments})
	if err != nil {
		t.Fatal(err)
	}
	e.Mount(e.docs, officialdochttp.Routes(e.docs, e.Tokens))
	v := func(_ context.Context, pdf []byte) (print.SealReport, error) {
		if !e.sealed {
			return print.SealReport{Intact: true, Detail: "文件未加盖电子印章"}, nil
		}
		return print.SealReport{Sealed: true, Intact: true, Unit: "安徽省人民政府办公厅", Signer: "张明华", SignedAt: e.Clock.Now()}, nil
	}
	d := print.Deps{Deps: e.Deps("print"), Calendar: cal, Documents: e.docs, Files: e.files, Verify: v,
		Render: func(_ context.Context, id string) ([]byte, error) { return []byte("%PDF-1.7 stand-in of " + id), nil }}
	if len(verify) > 0 {
		d.Verify = verify[0]
	}
	e.print, err = print.New(d)
	if err != nil {
		t.Fatal(err)
	}
	e.Mount(e.print, printhttp.Routes(e.print, e.Tokens))
	return e
}

func (e *env) as(user string) records.Actor {
	e.T.Helper()
	p, err := e.Identity.PrincipalByUsername(context.Background(), user)
	if err != nil {
		e.T.Fatal(err)
	}
	return records.Actor{P: p, IP: "test"}
}

// approve does user's open task on the document.
func (e *env) approve(user, id string) officialdoc.View {
	e.T.Helper()
	a := e.as(user)
	v, err := e.docs.Get(context.Background(), a.P, id)
	if err != nil {
		e.T.Fatalf("%s reads %s: %v", user, id, err)
	}
	for _, t := range v.Document.Tasks {
		if t.Assignee == a.P.UserID {
			v, err := e.docs.Act(context.Background(), a, t.ID, officialdoc.ActionInput{Action: "approve", Opinion: "同意"})
			if err != nil {
				e.T.Fatalf("%s approves %s: %v", user, t.NodeName, err)
			}
			return v
		}
	}
	e.T.Fatalf("%s holds no task on %s: %+v", user, id, v.Document.Tasks)
	return officialdoc.View{}
}

// atPrint drafts an outgoing document as drafter and takes it through
// 审核, 签发, 复核 and 登记编号 to 印制; the intake then makes its job.
func (e *env) atPrint(drafter string, in officialdoc.Input) string {
	e.T.Helper()
	in.Direction, in.Issuer, in.IssuerCode = officialdoc.Outgoing, "安徽省人民政府办公厅", "皖政办"
	if in.DocType == "" {
		in.DocType = "通知"
	}
	if in.Classification == "" {
		in.Classification = classification.Feimi
	}
	if len(in.MainTo) == 0 {
		in.MainTo = []string{"各市人民政府，省政府各部门"}
	}
	in.CopyTo = []string{"省委办公厅"}
	ctx := context.Background()
	v, err := e.docs.Create(ctx, e.as(drafter), in)
	if err != nil {
		e.T.Fatal(err)
	}
	id := v.Document.ID
	if _, err := e.docs.Submit(ctx, e.as(drafter), id); err != nil {
		e.T.Fatal(err)
	}
	for _, u := range []string{"chuzhang", "director", "clerk", "clerk"} {
		e.approve(u, id)
	}
	if err := e.print.Sync(ctx); err != nil {
		e.T.Fatal(err)
	}
	return id
}

func (e *env) job(user, id string) map[string]any {
	e.T.Helper()
	r := e.Do("GET", base+"/print/jobs/"+id, e.TokenOf(user), nil)
	if r.Status != 200 {
		e.T.Fatalf("GET job %s as %s: %d %s", id, user, r.Status, r.Body)
	}
	return r.JSON()
}

func (e *env) post(user, path string, body any) testkit.Response {
	e.T.Helper()
	r := e.Do("POST", base+path, e.TokenOf(user), body)
	if r.Status < 400 {
		p := path
		if rest, ok := strings.CutPrefix(p, "/print/jobs/"); ok {
			if i := strings.Index(rest, "/"); i >= 0 {
				p = "/print/jobs/{id}" + rest[i:]
			}
		}
		openapitest.Response(e.t, officeapi.API(e.Routes), "POST", p, r.Status, r.Body)
	}
	return r
}

func nodes(d officialdoc.Document) []string {
	var out []string
	for _, t := range d.Tasks {
		out = append(out, t.Node)
	}
	return out
}

// The whole 印制 of a document: the job made once with the document's
// fields, done refused until proofread and seal check pass, and done
// moving the document on to 核发.
func TestDocumentJobFromPrintToDispatch(t *testing.T) {
	e := newEnv(t)
	api := officeapi.API(e.Routes)
	openapitest.Check(t, api, e.App)
	doc := e.atPrint("staff", officialdoc.Input{Title: "关于做好防汛抗旱工作的通知", Urgency: "加急"})
	if err := e.print.Sync(context.Background()); err != nil { // twice: harmless
		t.Fatal(err)
	}
	id := print.DocumentJobID(doc)
	r := e.Do("GET", base+"/print/jobs/"+id, e.TokenOf("printer"), nil)
	openapitest.Response(t, api, "GET", "/print/jobs/{id}", r.Status, r.Body)
	j := r.JSON()
	if j["state"] != "queued" || j["kind"] != "document" || j["document"] != doc || !strings.HasPrefix(j["docNumber"].(string), "皖政办〔") ||
		j["title"] != "关于做好防汛抗旱工作的通知" || j["urgency"] != "加急" || j["room"] != "wenyin" || j["copies"] != 5.0 || j["file"] == "" || j["sealed"] != true {
		t.Fatalf("the job: %s", r.Body)
	}
	// 加急: eight working hours from its arrival, on the calendar.
	cal, _ := workcal.New(workcal.Config{})
	want, _ := cal.AddWorkingHours(e.Clock.Now(), 8*time.Hour)
	if due, _ := time.Parse(time.RFC3339Nano, j["due"].(string)); !due.Equal(want) {
		t.Fatalf("due %v, want %v", due, want)
	}
	if got := e.Audited("print.job.create", "print_jobs/"+id); len(got) != 1 {
		t.Fatalf("created %d times", len(got))
	}
	if got := e.Listed("printer", "/print/jobs"); !slices.Contains(got, id) {
		t.Fatalf("the queue: %v", got)
	}
	// The drafter reads the job of their document; someone else's staff does not.
	e.job("staff", id)
	testkit.WantProblem(t, e.Do("GET", base+"/print/jobs/"+id, e.TokenOf("editor"), nil), 404, "not_found")

	testkit.WantProblem(t, e.post("printer", "/print/jobs/"+id+"/done", nil), 409, "invalid_state")
	e.post("printer", "/print/jobs/"+id+"/claim", nil)
	// A second operator's claim is a 409.
	e.grantPrintRoom("clerk")
	p := testkit.WantProblem(t, e.post("clerk", "/print/jobs/"+id+"/claim", nil), 409, "print_claimed_by_other")
	if !strings.Contains(p["detail"].(string), "赵文印") {
		t.Fatalf("the refusal names who has it: %v", p)
	}
	testkit.WantProblem(t, e.post("clerk", "/print/jobs/"+id+"/proofread", map[string]any{"ok": true}), 409, "print_claimed_by_other")

	// Done without proofread and seal check: refused, in Chinese, and audited.
	p = testkit.WantProblem(t, e.post("printer", "/print/jobs/"+id+"/done", nil), 409, "print_unchecked")
	if !strings.Contains(p["detail"].(string), "校对和印章核验") {
		t.Fatalf("the refusal: %v", p)
	}
	if got := e.Audited("print.job.done", "print_jobs/"+id); len(got) != 2 || got[1].Outcome != "failure" || got[1].Reason != "print_unchecked" {
		t.Fatalf("the refused done is audited: %+v", got)
	}
	testkit.WantProblem(t, e.post("printer", "/print/jobs/"+id+"/print", nil), 409, "print_unchecked")
	r = e.post("printer", "/print/jobs/"+id+"/proofread", map[string]any{"ok": true, "note": "核对无误"})
	if pr := r.JSON()["proofread"].(map[string]any); pr["ok"] != true || pr["byName"] != "赵文印" {
		t.Fatalf("proofread: %s", r.Body)
	}
	p = testkit.WantProblem(t, e.post("printer", "/print/jobs/"+id+"/done", nil), 409, "print_unchecked")
	if !strings.Contains(p["detail"].(string), "印章核验") || strings.Contains(p["detail"].(string), "校对") {
		t.Fatalf("only the seal check is missing: %v", p)
	}
	r = e.post("printer", "/print/jobs/"+id+"/seal-check", nil)
	sc := r.JSON()["sealCheck"].(map[string]any)
	if sc["ok"] != true || sc["report"].(map[string]any)["unit"] != "安徽省人民政府办公厅" {
		t.Fatalf("seal check: %s", r.Body)
	}
	// Still at 印制 until done.
	if v, _ := e.docs.Get(context.Background(), e.as("printer").P, doc); !slices.Contains(nodes(v.Document), "print") {
		t.Fatalf("the document left 印制 early: %v", nodes(v.Document))
	}
	e.post("printer", "/print/jobs/"+id+"/print", nil)
	r = e.post("printer", "/print/jobs/"+id+"/done", map[string]any{"note": "已装订"})
	if r.Status != 200 || r.JSON()["state"] != "done" {
		t.Fatalf("done: %d %s", r.Status, r.Body)
	}
	v, err := e.docs.Get(context.Background(), e.as("clerk").P, doc)
	if err != nil || !slices.Equal(nodes(v.Document), []string{"dispatch"}) {
		t.Fatalf("the document after done: %v %v", nodes(v.Document), err)
	}
	if got := e.Audited("officialdoc.approve", "official_documents/"+doc); got[len(got)-1].Actor != e.UserID("printer") {
		t.Fatalf("the 印制 task was not done by the printer through officialdoc: %+v", got[len(got)-1])
	}
	// The intake leaves a done job alone when the document moves on.
	if err := e.print.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if j := e.job("printer", id); j["state"] != "done" {
		t.Fatalf("after the intake: %v", j["state"])
	}
}

func (e *env) grantPrintRoom(user string) {
	e.T.Helper()
	if _, err := e.Identity.GrantRole(context.Background(), identity.Actor{IP: "local"}, e.UserID(user), "print_room", ""); err != nil {
		e.T.Fatal(err)
	}
	delete(e.TokenCache(), user)
}

// The seal check fails on an unsealed file of a sealed document, and on a
// file whose bytes changed since it was stored; done stays refused.
func TestSealCheckFailuresKeepDoneRefused(t *testing.T) {
	e := newEnv(t)
	doc := e.atPrint("staff", officialdoc.Input{Title: "关于开展安全生产大检查的通知"})
	id := print.DocumentJobID(doc)
	e.post("printer", "/print/jobs/"+id+"/claim", nil)
	e.post("printer", "/print/jobs/"+id+"/proofread", map[string]any{"ok": true})
	e.sealed = false
	r := e.post("printer", "/print/jobs/"+id+"/seal-check", nil)
	if sc := r.JSON()["sealCheck"].(map[string]any); sc["ok"] != false {
		t.Fatalf("an unsealed file passed: %s", r.Body)
	}
	testkit.WantProblem(t, e.post("printer", "/print/jobs/"+id+"/done", nil), 409, "print_unchecked")

	e.sealed = true
	e.files.tamper(e.job("printer", id)["file"].(string))
	r = e.post("printer", "/print/jobs/"+id+"/seal-check", nil)
	sc := r.JSON()["sealCheck"].(map[string]any)
	if rep := sc["report"].(map[string]any); sc["ok"] != false || rep["intact"] != false || !strings.Contains(rep["detail"].(string), "SHA-256") {
		t.Fatalf("a changed file passed: %s", r.Body)
	}
	testkit.WantProblem(t, e.post("printer", "/print/jobs/"+id+"/done", nil), 409, "print_unchecked")
}

// A verifier that refuses the file (seal.Verify: a problem for a file with
// no seal) or cannot read it fails the check with its reason; neither is
// an error of the request.
func TestVerifierErrorIsAFailedCheck(t *testing.T) {
	for want, verr := range map[string]error{
		"no signature dictionary": errors.New("no signature dictionary"),
		"文件未加盖电子印章":               problem.Invalid(problem.Field("file", "文件未加盖电子印章", "the file carries no seal")),
	} {
		e := newEnv(t, func(context.Context, []byte) (print.SealReport, error) { return print.SealReport{}, verr })
		doc := e.atPrint("staff", officialdoc.Input{Title: "关于加强政务值班工作的通知"})
		id := print.DocumentJobID(doc)
		e.post("printer", "/print/jobs/"+id+"/claim", nil)
		r := e.post("printer", "/print/jobs/"+id+"/seal-check", nil)
		sc := r.JSON()["sealCheck"].(map[string]any)
		if r.Status != 200 || sc["ok"] != false || !strings.Contains(sc["report"].(map[string]any)["detail"].(string), want) {
			t.Fatalf("seal check: %d %s", r.Status, r.Body)
		}
		// The seal's verify route reads the job's file, for the job's readers only.
		if data, err := e.print.SealedFile(context.Background(), e.as("staff").P, doc); err != nil || !strings.HasPrefix(string(data), "%PDF-") {
			t.Fatalf("the drafter's sealed file: %v", err)
		}
		if _, err := e.print.SealedFile(context.Background(), e.as("editor").P, doc); problem.As(err) == nil || problem.As(err).Status != 404 {
			t.Fatalf("another department's: %v", err)
		}
	}
}

// Without the seal's verifier a sealed document cannot pass (its file
// carries no seal), a 纪要 (no seal) can.
func TestWithoutAVerifierOnlyUnsealedDocumentsPass(t *testing.T) {
	e := newEnv(t, nil)
	notice := print.DocumentJobID(e.atPrint("staff", officialdoc.Input{Title: "关于加强值班工作的通知"}))
	minutes := print.DocumentJobID(e.atPrint("staff", officialdoc.Input{DocType: "纪要", Title: "省政府第十次常务会议纪要"}))
	for id, ok := range map[string]bool{notice: false, minutes: true} {
		e.post("printer", "/print/jobs/"+id+"/claim", nil)
		e.post("printer", "/print/jobs/"+id+"/proofread", map[string]any{"ok": true})
		r := e.post("printer", "/print/jobs/"+id+"/seal-check", nil)
		if sc := r.JSON()["sealCheck"].(map[string]any); sc["ok"] != ok {
			t.Fatalf("%s: %s", id, r.Body)
		}
	}
	if r := e.post("printer", "/print/jobs/"+minutes+"/done", nil); r.Status != 200 {
		t.Fatalf("the 纪要: %d %s", r.Status, r.Body)
	}
}

// A failed proofread needs a note, returns the document to 登记编号 and
// the job to returned; when the document comes back, the job is reopened
// for a second round with its checks cleared.
func TestFailedProofreadReturnsTheDocument(t *testing.T) {
	e := newEnv(t)
	doc := e.atPrint("staff", officialdoc.Input{Title: "关于做好春季森林防火工作的通知"})
	id := print.DocumentJobID(doc)
	e.post("printer", "/print/jobs/"+id+"/claim", nil)
	r := e.post("printer", "/print/jobs/"+id+"/proofread", map[string]any{"ok": false})
	testkit.WantProblem(t, r, 400, "invalid")
	if !strings.Contains(string(r.Body), `"note"`) {
		t.Fatalf("the refusal names the note: %s", r.Body)
	}
	r = e.post("printer", "/print/jobs/"+id+"/proofread", map[string]any{"ok": false, "note": "第二页主送机关有误"})
	if j := r.JSON(); j["state"] != "returned" || j["returnNote"] != "第二页主送机关有误" || j["operator"] != nil {
		t.Fatalf("returned: %s", r.Body)
	}
	v, _ := e.docs.Get(context.Background(), e.as("clerk").P, doc)
	if !slices.Equal(nodes(v.Document), []string{"register"}) {
		t.Fatalf("the document after the failed proofread: %v", nodes(v.Document))
	}
	testkit.WantProblem(t, e.post("printer", "/print/jobs/"+id+"/claim", nil), 409, "invalid_state")
	e.approve("clerk", doc)
	if err := e.print.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	j := e.job("printer", id)
	if j["state"] != "queued" || j["round"] != 2.0 || j["proofread"] != nil || j["sealCheck"] != nil {
		t.Fatalf("reopened: %v", j)
	}
}

// Classified jobs go only where the policy allows; the 份号 range is set
// for them; the refusal names the field.
func TestClassifiedJobsOnlyToAllowedRooms(t *testing.T) {
	e := newEnv(t)
	doc := e.atPrint("chuzhang", officialdoc.Input{Title: "关于做好重要会议安全保卫工作的通知", Classification: "秘密", SecrecyPeriod: "1年"})
	id := print.DocumentJobID(doc)
	j := e.job("printer", id)
	if j["classification"] != "秘密" || j["firstCopy"] != "000001" || j["lastCopy"] != "000005" {
		t.Fatalf("the classified job: %v", j)
	}
	r := e.post("printer", "/print/jobs/"+id+"/plan", map[string]any{"room": "shehui-kuaiyin"})
	testkit.WantProblem(t, r, 400, "invalid")
	if !strings.Contains(string(r.Body), `"room"`) || !strings.Contains(string(r.Body), "仅") && !strings.Contains(string(r.Body), "只能印制非密") {
		t.Fatalf("the refusal: %s", r.Body)
	}
	r = e.post("printer", "/print/jobs/"+id+"/plan", map[string]any{"room": "jiguan-yinshua", "copies": 30, "firstCopy": 101})
	if j := r.JSON(); r.Status != 200 || j["room"] != "jiguan-yinshua" || j["firstCopy"] != "000101" || j["lastCopy"] != "000130" {
		t.Fatalf("plan: %d %s", r.Status, r.Body)
	}
	// The registering clerk sets the 份数 of a document's job while it waits,
	// not once it is claimed; staff may not.
	r = e.post("clerk", "/print/jobs/"+id+"/plan", map[string]any{"copies": 12})
	if j := r.JSON(); r.Status != 200 || j["copies"] != 12.0 || j["firstCopy"] != "000101" || j["lastCopy"] != "000112" {
		t.Fatalf("the clerk's plan: %d %s", r.Status, r.Body)
	}
	e.post("printer", "/print/jobs/"+id+"/claim", nil)
	testkit.WantProblem(t, e.post("clerk", "/print/jobs/"+id+"/plan", map[string]any{"copies": 20}), 409, "invalid_state")
	// An ordinary 秘密 job to the outside shop: refused the same way.
	file, _ := e.files.Add(context.Background(), e.UserID("editor"), "会议材料.pdf", []byte("%PDF-1.7 会议材料"))
	r = e.post("editor", "/print/jobs", map[string]any{"title": "会议材料", "file": file, "copies": 10, "classification": "秘密", "room": "shehui-kuaiyin"})
	testkit.WantProblem(t, r, 400, "invalid")
	if !strings.Contains(string(r.Body), `"room"`) {
		t.Fatalf("the refusal names the room: %s", r.Body)
	}
	// Above the sender's clearance: refused.
	staffFile, _ := e.files.Add(context.Background(), e.UserID("staff"), "材料.pdf", []byte("%PDF-1.7 材料"))
	testkit.WantProblem(t, e.post("staff", "/print/jobs", map[string]any{"title": "材料", "file": staffFile, "copies": 1, "classification": "秘密"}), 400, "invalid")
}

// An ordinary job: sent by any member of staff, its progress on the
// sender's own list and desktop, done without proofread; its file for the
// sender and the print room alone, each download audited.
func TestOrdinaryJobProgressForTheSender(t *testing.T) {
	e := newEnv(t)
	api := officeapi.API(e.Routes)
	file, _ := e.files.Add(context.Background(), e.UserID("editor"), "培训通知.pdf", []byte("%PDF-1.7 培训通知"))
	testkit.WantProblem(t, e.post("editor", "/print/jobs", map[string]any{"title": "培训通知", "file": strings.Repeat("a", 64), "copies": 3}), 400, "invalid")
	// Someone else's file (its id learnt elsewhere): refused, naming the file.
	r := e.post("staff", "/print/jobs", map[string]any{"title": "培训通知", "file": file, "copies": 3})
	testkit.WantProblem(t, r, 400, "invalid")
	if !strings.Contains(string(r.Body), "本人上传") {
		t.Fatalf("someone else's file: %s", r.Body)
	}
	r = e.post("editor", "/print/jobs", map[string]any{"title": "培训通知", "file": file, "copies": 40, "note": "双面打印", "urgency": "特急"})
	if r.Status != 201 {
		t.Fatalf("send: %d %s", r.Status, r.Body)
	}
	id := r.JSON()["id"].(string)
	if j := r.JSON(); j["state"] != "queued" || j["department"] != "xinxi" || j["fileName"] != "培训通知.pdf" || j["firstCopy"] != nil {
		t.Fatalf("sent: %s", r.Body)
	}
	var page struct {
		Items []map[string]any
	}
	r = e.Do("GET", base+"/print/jobs?mine=true&consistentWith="+itoa(e.LastSeq), e.TokenOf("editor"), nil)
	openapitest.Response(t, api, "GET", "/print/jobs", r.Status, r.Body)
	r.Decode(t, &page)
	if len(page.Items) != 1 || page.Items[0]["id"] != id || page.Items[0]["roomName"] != "办公厅文印室" || page.Items[0]["fileName"] != "培训通知.pdf" {
		t.Fatalf("the sender's list (its items as the job is): %s", r.Body)
	}
	if got := e.Listed("staff", "/print/jobs"); slices.Contains(got, id) {
		t.Fatalf("another's list shows it: %v", got)
	}
	testkit.WantProblem(t, e.Do("GET", base+"/print/jobs/"+id, e.TokenOf("staff"), nil), 404, "not_found")
	testkit.WantProblem(t, e.post("editor", "/print/jobs/"+id+"/claim", nil), 403, "forbidden")

	// The printer's desktop has it as to-do, the sender's as progress.
	if !e.onDesktop("printer", "todo", id) || !e.onDesktop("editor", "panel", id) {
		t.Fatal("the desktops")
	}
	e.post("printer", "/print/jobs/"+id+"/claim", nil)
	e.post("printer", "/print/jobs/"+id+"/print", nil)
	if r := e.post("printer", "/print/jobs/"+id+"/done", nil); r.JSON()["state"] != "done" {
		t.Fatalf("done: %s", r.Body)
	}
	if j := e.job("editor", id); j["state"] != "done" {
		t.Fatalf("the sender sees %v", j["state"])
	}
	if e.onDesktop("printer", "todo", id) {
		t.Fatal("a done job stays on the to-do")
	}

	// The file: the sender and the print room, audited; no one else.
	for _, user := range []string{"editor", "printer"} {
		r := e.Do("GET", base+"/print/jobs/"+id+"/file", e.TokenOf(user), nil)
		if r.Status != 200 || string(r.Body) != "%PDF-1.7 培训通知" {
			t.Fatalf("%s downloads: %d %s", user, r.Status, r.Body)
		}
		openapitest.Response(t, api, "GET", "/print/jobs/{id}/file", r.Status, r.Body)
	}
	testkit.WantProblem(t, e.Do("GET", base+"/print/jobs/"+id+"/file", e.TokenOf("staff"), nil), 404, "not_found")
	if got := e.Audited("print.job.download", "print_jobs/"+id); len(got) != 2 {
		t.Fatalf("downloads audited: %d", len(got))
	}
	// The media store's rule says the same.
	rule := print.MediaRule(e.Store)
	dec, err := rule(context.Background(), id, file)
	if err != nil || !dec.Attaches || !dec.Access.Allows(e.as("editor").P) || dec.Access.Allows(e.as("staff").P) || !dec.Access.Allows(e.as("printer").P) {
		t.Fatalf("media rule: %+v %v", dec, err)
	}
}

func (e *env) onDesktop(user, where, id string) bool {
	e.T.Helper()
	var v struct {
		Todo   []struct{ ID string }
		Panels []struct {
			Key   string
			Items []struct{ ID string }
		}
	}
	e.Do("GET", base+"/desktop?consistentWith="+itoa(e.LastSeq), e.TokenOf(user), nil).Decode(e.T, &v)
	if where == "todo" {
		return slices.ContainsFunc(v.Todo, func(x struct{ ID string }) bool { return x.ID == id })
	}
	for _, p := range v.Panels {
		if p.Key == "print.mine" && slices.ContainsFunc(p.Items, func(x struct{ ID string }) bool { return x.ID == id }) {
			return true
		}
	}
	return false
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A document whose 印制 task is done on the document itself leaves its
// queued job cancelled; the background intake sees documents arrive
// without being asked.
func TestIntakeFollowsTheDocuments(t *testing.T) {
	e := newEnv(t)
	in := officialdoc.Input{Direction: officialdoc.Outgoing, DocType: "函", Title: "关于商请协助做好数据共享的函", Classification: "非密",
		Issuer: "安徽省人民政府办公厅", IssuerCode: "皖政办", MainTo: []string{"省数据资源管理局"}}
	ctx := context.Background()
	v, err := e.docs.Create(ctx, e.as("staff"), in)
	if err != nil {
		t.Fatal(err)
	}
	doc := v.Document.ID
	if _, err := e.docs.Submit(ctx, e.as("staff"), doc); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"chuzhang", "director", "clerk", "clerk"} {
		e.approve(u, doc)
	}
	id := print.DocumentJobID(doc)
	testkit.Eventually(t, 10*time.Second, "the intake makes the job", func() bool {
		_, err := e.print.Get(ctx, e.as("printer").P, id)
		return err == nil
	})
	e.approve("printer", doc) // on the document, not through the print room
	testkit.Eventually(t, 10*time.Second, "the intake cancels the job", func() bool {
		v, err := e.print.Get(ctx, e.as("printer").P, id)
		return err == nil && v.Document.State == print.StateCancelled
	})
}

// Two operators claiming one job at once: one has it, the other gets 409.
func TestConcurrentClaimsOneWins(t *testing.T) {
	e := newEnv(t)
	e.grantPrintRoom("clerk")
	id := print.DocumentJobID(e.atPrint("staff", officialdoc.Input{Title: "关于做好节日期间安全稳定工作的通知"}))
	tokens := []string{e.TokenOf("printer"), e.TokenOf("clerk")}
	statuses := make([]int, 2)
	var wg sync.WaitGroup
	for i := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = testkit.Do(t, e.App, "POST", base+"/print/jobs/"+id+"/claim", tokens[i], nil).Status
		}()
	}
	wg.Wait()
	slices.Sort(statuses)
	if !slices.Equal(statuses, []int{200, 409}) {
		t.Fatalf("claims: %v", statuses)
	}
}

// The intake writes nothing when nothing changed: its own checkpoint is
// not a change it answers with another (a loop that filled the feed).
func TestIntakeIsQuietWhenNothingChanges(t *testing.T) {
	e := newEnv(t)
	e.atPrint("staff", officialdoc.Input{Title: "关于做好汛期安全工作的通知"})
	ctx := context.Background()
	before, err := e.Store.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := e.print.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if after, _ := e.Store.LastSeq(ctx); after != before {
		t.Fatalf("the feed grew from %d to %d with no document changed", before, after)
	}
}
