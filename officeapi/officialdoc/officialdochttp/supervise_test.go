package officialdochttp_test

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"zhengwu/officeapi"
	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/docnumber"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/testkit"
)

func TestUrgeByDrafterHandlerOrHeadOnly(t *testing.T) {
	e := newEnv(t)
	api := officeapi.API(e.Routes)
	id := idOf(t, draft(e, "staff", map[string]any{"knowers": []string{e.UserID("editor")}}))
	e.Do("POST", base+"/documents/"+id+"/submit", e.TokenOf("staff"), nil)
	urge := func(user, msg string) testkit.Response {
		return e.Do("POST", base+"/documents/"+id+"/urge", e.TokenOf(user), map[string]any{"message": msg})
	}
	// A reader on the 知悉范围 list who neither drafted, handled nor heads it.
	testkit.WantProblem(t, urge("editor", "请尽快"), 403, "forbidden")
	// Not a reader at all: as if absent.
	testkit.WantProblem(t, urge("fgwclerk", "请尽快"), 404, "not_found")
	testkit.WantProblem(t, urge("staff", ""), 400, "invalid")
	// The only open task is the head's own: nothing for him to urge.
	testkit.WantProblem(t, urge("chuzhang", "请尽快"), 409, "officialdoc_nothing_to_urge")

	r := urge("staff", "会议通知急用，请今日审核")
	openapitest.Response(t, api, "POST", "/documents/{id}/urge", r.Status, r.Body)
	if r.Status != 200 {
		t.Fatalf("the drafter urges: %d %s", r.Status, r.Body)
	}
	task := taskOf(t, e, "chuzhang", id)
	if task.Urged != 1 {
		t.Fatalf("the urged task: %+v", task)
	}
	var desk desktop.View
	e.Do("GET", base+"/desktop", e.TokenOf("chuzhang"), nil).Decode(t, &desk)
	if !slices.ContainsFunc(desk.Todo, func(en desktop.Entry) bool { return en.ID == task.ID && en.Urged }) {
		t.Fatalf("the desktop does not mark it urged: %+v", desk.Todo)
	}
	if got := e.Audited("officialdoc.urge", officialdoc.Collection+"/"+id); len(got) != 3 { // two refusals (403, 409), one success
		t.Fatalf("urge audit entries: %+v", got)
	}
	// The head, having handled 审核, chases the 签发.
	step(t, e, "chuzhang", id, nil)
	if r := urge("chuzhang", "请领导签发"); r.Status != 200 || taskOf(t, e, "director", id).Urged != 1 {
		t.Fatalf("a handler urges the next node: %d %s", r.Status, r.Body)
	}
}

func TestTerminateByDrafterBeforeSigningThenTheHead(t *testing.T) {
	e := newEnv(t)
	api := officeapi.API(e.Routes)
	terminate := func(user, id, reason string) testkit.Response {
		return e.Do("POST", base+"/documents/"+id+"/terminate", e.TokenOf(user), map[string]any{"reason": reason})
	}
	early := idOf(t, draft(e, "staff", nil))
	e.Do("POST", base+"/documents/"+early+"/submit", e.TokenOf("staff"), nil)
	testkit.WantProblem(t, terminate("staff", early, ""), 400, "invalid")
	r := terminate("staff", early, "会议取消，不再发文")
	openapitest.Response(t, api, "POST", "/documents/{id}/terminate", r.Status, r.Body)
	if v := r.JSON(); r.Status != 200 || v["state"] != officialdoc.StateTerminated || v["tasks"] != nil {
		t.Fatalf("the drafter terminates before 签发: %d %s", r.Status, r.Body)
	}
	testkit.WantProblem(t, terminate("staff", early, "再次终止"), 409, "invalid_state")
	testkit.WantProblem(t, e.Do("POST", base+"/documents/"+early+"/urge", e.TokenOf("staff"), map[string]any{"message": "催"}), 409, "invalid_state")

	// Signed: the drafter may no longer; the department's head may.
	late := idOf(t, draft(e, "staff", nil))
	e.Do("POST", base+"/documents/"+late+"/submit", e.TokenOf("staff"), nil)
	step(t, e, "chuzhang", late, nil)
	step(t, e, "director", late, nil)
	testkit.WantProblem(t, terminate("staff", late, "不发了"), 403, "forbidden")
	if r := terminate("chuzhang", late, "政策调整，停止发文"); r.Status != 200 || r.JSON()["state"] != officialdoc.StateTerminated {
		t.Fatalf("the head terminates after 签发: %d %s", r.Status, r.Body)
	}
	if got := e.Audited("officialdoc.terminate", officialdoc.Collection+"/"+late); len(got) != 2 {
		t.Fatalf("terminate audit entries: %+v", got)
	}
}

func TestEditKeepsRevisionsAndDiffs(t *testing.T) {
	e := newEnv(t)
	api := officeapi.API(e.Routes)
	created := draft(e, "staff", map[string]any{"body": "<p>请各单位于三月十日前报送。</p>"})
	id := idOf(t, created)
	fields := map[string]any{"direction": "outgoing", "docType": "通知", "title": "关于做好春节期间值班工作的通知",
		"classification": "非密", "issuer": "安徽省人民政府办公厅", "issuerCode": "皖政办", "mainTo": []string{"各市人民政府"}}
	edit := func(user string, version any, body string) testkit.Response {
		in := maps.Clone(fields)
		in["version"], in["body"] = version, body
		return e.Do("PUT", base+"/documents/"+id, e.TokenOf(user), in)
	}
	v1 := created.JSON()["version"]
	testkit.WantProblem(t, edit("chuzhang", v1, "<p>改</p>"), 403, "forbidden")
	r := edit("staff", v1, "<p>请各单位于三月十五日前报送。</p><script>x()</script>")
	openapitest.Response(t, api, "PUT", "/documents/{id}", r.Status, r.Body)
	if v := r.JSON(); r.Status != 200 || v["revision"] != float64(2) || strings.Contains(v["body"].(string), "script") {
		t.Fatalf("the drafter's edit: %d %s", r.Status, r.Body)
	}
	// The version read is stale now: 409, nothing written.
	testkit.WantProblem(t, edit("staff", v1, "<p>另改</p>"), 409, "conflict")
	v2 := r.JSON()["version"]

	// Under 审核 the drafter may not, the head (holding the task) may.
	e.Do("POST", base+"/documents/"+id+"/submit", e.TokenOf("staff"), nil)
	cur := e.Do("GET", base+"/documents/"+id, e.TokenOf("staff"), nil).JSON()["version"]
	if cur == v2 {
		t.Fatal("submit did not move the version")
	}
	testkit.WantProblem(t, edit("staff", cur, "<p>再改</p>"), 403, "forbidden")
	if r := edit("chuzhang", cur, "<p>请各单位于三月十五日前报送，逾期不候。</p>"); r.Status != 200 || r.JSON()["revision"] != float64(3) {
		t.Fatalf("the reviewer's 修改: %d %s", r.Status, r.Body)
	}

	r = e.Do("GET", base+"/documents/"+id+"/revisions", e.TokenOf("staff"), nil)
	openapitest.Response(t, api, "GET", "/documents/{id}/revisions", r.Status, r.Body)
	var list officialdoc.RevisionList
	r.Decode(t, &list)
	if len(list.Items) != 3 || list.Items[0].AuthorName != "陈晓燕" || list.Items[2].AuthorName != "刘志强" || strings.Contains(list.Items[1].Body, "script") {
		t.Fatalf("revisions: %+v", list.Items)
	}
	r = e.Do("GET", base+"/documents/"+id+"/revisions/diff?from=1&to=3", e.TokenOf("staff"), nil)
	openapitest.Response(t, api, "GET", "/documents/{id}/revisions/diff", r.Status, r.Body)
	var diff officialdoc.Diff
	r.Decode(t, &diff)
	var ins, del string
	for _, p := range diff.Parts {
		switch p.Op {
		case "insert":
			ins += p.Text
		case "delete":
			del += p.Text
		}
	}
	// Character by character: "十" became "十五", a clause was added, no tags.
	if ins != "五，逾期不候" || del != "" || len(diff.Parts) != 5 {
		t.Fatalf("the diff: %+v", diff.Parts)
	}
	r = e.Do("GET", base+"/documents/"+id+"/revisions/diff?from=1&to=4", e.TokenOf("staff"), nil)
	if testkit.WantProblem(t, r, 400, "invalid"); !strings.Contains(string(r.Body), `"to"`) {
		t.Fatalf("a revision that does not exist: %s", r.Body)
	}
	// Whoever may not read the document sees none of it.
	testkit.WantProblem(t, e.Do("GET", base+"/documents/"+id+"/revisions", e.TokenOf("editor"), nil), 404, "not_found")
}

func TestConcurrentEditsOfOneVersionOneWins(t *testing.T) {
	e := newEnv(t)
	r := draft(e, "staff", nil)
	id, version := idOf(t, r), r.JSON()["version"]
	token := e.TokenOf("staff")
	const n = 4
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = testkit.Do(t, e.App, "PUT", base+"/documents/"+id, token, map[string]any{"version": version,
				"direction": "outgoing", "docType": "通知", "title": "关于做好春节期间值班工作的通知", "classification": "非密",
				"issuer": "安徽省人民政府办公厅", "issuerCode": "皖政办", "body": "<p>第" + strconv.Itoa(i) + "稿</p>"}).Status
		}()
	}
	wg.Wait()
	slices.Sort(statuses)
	if statuses[0] != 200 || statuses[1] != 409 {
		t.Fatalf("statuses %v: want one 200 and 409s", statuses)
	}
	if d := load(t, e, id); d.Revision != 2 {
		t.Fatalf("revisions after the race: %d", d.Revision)
	}
}

func TestTerminatingANumberedDocumentVoidsItsNumberAndADispatchedOneStays(t *testing.T) {
	e := newEnv(t)
	id := numbered(t, e, "关于申请防汛抗旱省级补助资金的请示")
	doc := load(t, e, id)
	if doc.DocNumber != "皖政办〔2026〕1号" {
		t.Fatalf("numbered: %q", doc.DocNumber)
	}
	if r := e.Do("POST", base+"/documents/"+id+"/terminate", e.TokenOf("chuzhang"), map[string]any{"reason": "资金已由其他渠道解决"}); r.Status != 200 {
		t.Fatalf("the head terminates: %d %s", r.Status, r.Body)
	}
	// The register keeps the number, voided in the terminating write, with why.
	book, err := docnumber.New(docnumber.Deps{Store: e.Store, Trail: e.Trail})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := book.Get(context.Background(), docnumber.Number{Prefix: "皖政办", Year: 2026, Seq: 1})
	if err != nil || rec.State != docnumber.Voided || rec.Voiding == nil || !strings.Contains(rec.Voiding.Reason, "资金已由其他渠道解决") {
		t.Fatalf("the terminated document's number: %+v %v", rec, err)
	}
	if got := e.Audited(docnumber.ActionVoid, docnumber.Collection+"/皖政办/2026/000001"); len(got) != 1 {
		t.Fatalf("the void's audit entries: %+v", got)
	}
	// The next document gets the next number: a voided one is never given again.
	if next := load(t, e, numbered(t, e, "关于申请地质灾害防治省级补助资金的请示")); next.DocNumber != "皖政办〔2026〕2号" {
		t.Fatalf("after a void: %q", next.DocNumber)
	}

	// Dispatched to the units: no longer terminated, by anyone.
	sent := toDispatch(t, e, []string{"合肥市人民政府办公室"}, nil)
	step(t, e, "clerk", sent, nil)
	testkit.WantProblem(t, e.Do("POST", base+"/documents/"+sent+"/terminate", e.TokenOf("chuzhang"), map[string]any{"reason": "撤回"}),
		409, "officialdoc_dispatched")
}
