//go:build load

package mixedload

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The workload's actions and their weights (per 100 actions). An action is
// what one person does at once; some are several requests, each recorded
// under its own kind:
//
//	portal.home    15  one home-page column (a root channel's newest 8), anonymous
//	portal.list    10  a channel page (1–3, 20 a page), anonymous
//	portal.item    25  an item page, anonymous
//	search.portal  10  a portal search, anonymous
//	search.office   5  an office search, signed in
//	desktop        15  a signed-in person's desktop
//	workflow       10  a 公文: doc.create, doc.submit, then for 审核 and 签发
//	                   doc.read (the holder opens it) and doc.act (同意),
//	                   then doc.flow (the drafter reads the flow chart);
//	                   the soak's goes on to 办结 (load.finish): 复核,
//	                   登记编号, the print room's print.*, 核发, 归档
//	mail           10  upload (an attachment to /media), mail.send to a
//	                   colleague, mail.inbox (the colleague's inbox)
var actions = []struct {
	name   string
	weight int
	run    func(w *worker) error
}{
	{"portal.home", 15, (*worker).portalHome},
	{"portal.list", 10, (*worker).portalList},
	{"portal.item", 25, (*worker).portalItem},
	{"search.portal", 10, (*worker).searchPortal},
	{"search.office", 5, (*worker).searchOffice},
	{"desktop", 15, (*worker).desktop},
	{"workflow", 10, (*worker).workflow},
	{"mail", 10, (*worker).mail},
}

var (
	rootChannels = []string{"leaders", "files", "news"}
	searchWords  = []string{"政务公开", "通知", "安徽", "工作", "会议", "经济", "建设", "规划", "湿地", "发展", "意见", "办法"}
	// Accounts that write mail with attachments (every one of them may upload).
	mailers = []string{"editor", "reviewer", "staff", "chuzhang"}
)

// account is one demo person's session; the token is renewed by a new
// login before it expires (15 minutes), as the SPA's refresh would.
type account struct {
	name string
	mu   sync.Mutex
	id   string
	tok  string
	exp  time.Time
}

// load is the shared state of one run.
type load struct {
	base     string
	http     *http.Client
	rec      *recorder
	accounts map[string]*account
	byID     map[string]*account
	items    []string // public portal item ids
	seq      atomic.Int64
	// finish takes each 公文 of the workflow action to 办结 (the soak's
	// office, whose running documents stay level); without it a document
	// stops at 复核 after 签发, as the mixed load's always has.
	finish bool
}

// workflowKind says how far the workflow action takes a 公文.
func (l *load) workflowKind() string {
	if l.finish {
		return "公文 taken to 办结"
	}
	return "公文 left after 签发"
}

func newLoad(t *testing.T, base string, conns int, users []string) *load {
	t.Helper()
	l := &load{base: base, http: newHTTP(conns), rec: newRecorder(),
		accounts: map[string]*account{}, byID: map[string]*account{}}
	for _, u := range users {
		a := &account{name: u}
		if _, err := l.token(a); err != nil {
			t.Fatalf("login %s: %v", u, err)
		}
		l.accounts[u], l.byID[a.id] = a, a
	}
	for _, ch := range rootChannels {
		for page := 1; page <= 3; page++ {
			var list struct{ Items []struct{ ID string } }
			if err := l.get("", fmt.Sprintf("/api/portal/v1/items?channel=%s&page=%d&size=20", ch, page), &list); err != nil {
				t.Fatal(err)
			}
			for _, it := range list.Items {
				l.items = append(l.items, it.ID)
			}
		}
	}
	if len(l.items) == 0 {
		t.Fatal("the demo portal lists no items")
	}
	return l
}

// newHTTP is the harness's client: a kept-alive connection per worker.
func newHTTP(conns int) *http.Client {
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, IdleConnTimeout: time.Minute}
	return &http.Client{Transport: tr, Timeout: 60 * time.Second}
}

// token answers a's access token, logging in again two minutes before it expires.
func (l *load) token(a *account) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.tok != "" && time.Now().Before(a.exp) {
		return a.tok, nil
	}
	body, _ := json.Marshal(map[string]string{"username": a.name, "password": password})
	resp, err := l.http.Post(l.base+"/api/office/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var s struct {
		AccessToken string
		ExpiresIn   int
		User        struct{ ID string }
	}
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		return "", fmt.Errorf("login: %d %s", resp.StatusCode, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		return "", err
	}
	if a.id == "" { // set once, at the first login, before any worker reads it
		a.id = s.User.ID
	}
	a.tok = s.AccessToken
	a.exp = time.Now().Add(time.Duration(s.ExpiresIn)*time.Second - 2*time.Minute)
	return a.tok, nil
}

// do sends one request as user ("" anonymous), records it under kind and
// decodes a 2xx answer into out. Any other status is an error: the
// workload expects none.
func (l *load) do(kind, user, method, path, ctype string, body []byte, out any) error {
	req, err := http.NewRequest(method, l.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if user != "" {
		tok, err := l.token(l.accounts[user])
		if err != nil {
			l.rec.fail("login", err) // no request of kind was sent
			return err
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	start := time.Now()
	resp, err := l.http.Do(req)
	if err == nil {
		var b []byte
		b, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case err != nil:
		case resp.StatusCode < 200 || resp.StatusCode > 299:
			err = fmt.Errorf("%s %s as %q: %d %s", method, path, user, resp.StatusCode, tail(b, 300))
		case out != nil:
			err = json.Unmarshal(b, out)
		}
	}
	if kind != "" {
		l.rec.add(kind, time.Since(start), err)
	}
	return err
}

func (l *load) get(user, path string, out any) error {
	return l.do("", user, "GET", path, "", nil, out)
}

// worker runs actions one after another with its own random source.
type worker struct {
	l *load
	r *rand.Rand
}

// run picks actions by weight until ctx ends; tickets, when not nil, paces
// the actions (the soak's steady rate).
func (w *worker) run(ctx context.Context, tickets <-chan struct{}) {
	total := 0
	for _, a := range actions {
		total += a.weight
	}
	for ctx.Err() == nil {
		if tickets != nil {
			select {
			case <-ctx.Done():
				return
			case <-tickets:
			}
		}
		n := w.r.IntN(total)
		for _, a := range actions {
			if n < a.weight {
				_ = a.run(w)
				break
			}
			n -= a.weight
		}
	}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func (w *worker) signedIn() string {
	names := make([]string, 0, len(w.l.accounts))
	for n := range w.l.accounts {
		names = append(names, n)
	}
	return pick(w.r, names)
}

func (w *worker) portalHome() error {
	return w.l.do("portal.home", "", "GET", "/api/portal/v1/items?channel="+pick(w.r, rootChannels)+"&size=8", "", nil, nil)
}

func (w *worker) portalList() error {
	return w.l.do("portal.list", "", "GET", fmt.Sprintf("/api/portal/v1/items?channel=%s&page=%d&size=20",
		pick(w.r, rootChannels), 1+w.r.IntN(3)), "", nil, nil)
}

func (w *worker) portalItem() error {
	return w.l.do("portal.item", "", "GET", "/api/portal/v1/items/"+url.PathEscape(pick(w.r, w.l.items)), "", nil, nil)
}

func (w *worker) searchPortal() error {
	return w.l.do("search.portal", "", "GET", "/api/search/v1/search?q="+url.QueryEscape(pick(w.r, searchWords)), "", nil, nil)
}

func (w *worker) searchOffice() error {
	return w.l.do("search.office", w.signedIn(), "GET", "/api/search/v1/search?scope=office&q="+url.QueryEscape(pick(w.r, searchWords)), "", nil, nil)
}

func (w *worker) desktop() error {
	return w.l.do("desktop", w.signedIn(), "GET", "/api/office/v1/desktop", "", nil, nil)
}

type document struct {
	ID, State string
	Tasks     []struct{ ID, Node, Assignee string }
}

// readDoc reads document id as user into doc, recorded under kind ("": a
// read between steps, not recorded, but its failure is counted as the
// workflow's). doc is emptied first: the answer leaves out what is empty
// (a finished document's tasks), and decoding over the last answer would
// keep them.
func (w *worker) readDoc(kind, user, id string, doc *document) error {
	*doc = document{}
	err := w.l.do(kind, user, "GET", "/api/office/v1/documents/"+id, "", nil, doc)
	if err != nil && kind == "" {
		w.l.rec.fail("workflow", err)
	}
	return err
}

// broken records a workflow that did not go as the server should take it
// (no request failed, so do recorded nothing) and returns it: every error
// an action returns is thrown away by run, so one not recorded here would
// pass unseen.
func (w *worker) broken(format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	w.l.rec.fail("workflow", err)
	return err
}

// workflow drafts a 通知 as staff, submits it, and lets the holders of
// 审核 and 签发 open it and agree; with finish (the soak's office) the
// document then goes on to 办结: the clerk's 复核 and 登记编号, the print
// room's claim, proofread, seal check and done, the clerk's 核发 and 归档.
// The drafter then reads the flow chart.
func (w *worker) workflow() error {
	const drafter = "staff"
	n := w.l.seq.Add(1)
	in, _ := json.Marshal(map[string]any{"direction": "outgoing", "docType": "通知",
		"title": fmt.Sprintf("关于做好第%d批政务公开工作的通知（压测）", n), "classification": "非密",
		"issuer": "安徽省人民政府办公厅", "issuerCode": "皖政办", "mainTo": []string{"厅机关各处室"},
		"body": "<p>现将有关事项通知如下。</p>"})
	var doc document
	if err := w.l.do("doc.create", drafter, "POST", "/api/office/v1/documents", "application/json", in, &doc); err != nil {
		return err
	}
	if err := w.l.do("doc.submit", drafter, "POST", "/api/office/v1/documents/"+doc.ID+"/submit", "", nil, &doc); err != nil {
		return err
	}
	if err := w.approve(&doc, "review", "sign"); err != nil {
		return err
	}
	if w.l.finish {
		if err := w.approve(&doc, "recheck", "register"); err != nil {
			return err
		}
		if err := w.printRoom(doc.ID); err != nil {
			return err
		}
		if err := w.readDoc("", "clerk", doc.ID, &doc); err != nil {
			return err
		}
		if err := w.approve(&doc, "dispatch", "archive"); err != nil {
			return err
		}
		if doc.State != "completed" || len(doc.Tasks) > 0 {
			return w.broken("workflow: %s is %s, not 办结, after 归档: %+v", doc.ID, doc.State, doc.Tasks)
		}
	}
	return w.l.do("doc.flow", drafter, "GET", "/api/office/v1/documents/"+doc.ID+"/flow", "", nil, nil)
}

// approve lets the signed-in holder of each node's task, in turn, open the
// document and agree; doc is read again after each.
func (w *worker) approve(doc *document, nodes ...string) error {
	for _, node := range nodes {
		holder, task := w.holderOf(*doc, node)
		if holder == "" {
			return w.broken("workflow: no signed-in holder of %s on %s (tasks %+v)", node, doc.ID, doc.Tasks)
		}
		if err := w.readDoc("doc.read", holder, doc.ID, doc); err != nil {
			return err
		}
		act, _ := json.Marshal(map[string]string{"action": "approve", "opinion": "同意"})
		if err := w.l.do("doc.act", holder, "POST", "/api/office/v1/tasks/"+task+"/actions", "application/json", act, nil); err != nil {
			return err
		}
		if err := w.readDoc("", holder, doc.ID, doc); err != nil {
			return err
		}
	}
	return nil
}

// printRoom is the print room's part of document id's 印制: the printer waits
// for the job the print room's intake makes from the feed (with its file),
// claims it, passes its proofread and seal check, and marks it done, which
// moves the document on to 核发.
func (w *worker) printRoom(id string) error {
	const printer = "printer"
	job := "/api/office/v1/print/jobs/doc-" + id
	start := time.Now()
	for ; ; time.Sleep(50 * time.Millisecond) {
		var j struct{ State, File, FileError string }
		err := w.l.get(printer, job, &j)
		if err == nil && j.FileError != "" {
			return w.broken("print job of %s: %s", id, j.FileError)
		}
		if err == nil && j.State == "queued" && j.File != "" {
			break
		}
		if time.Since(start) > 30*time.Second {
			return w.broken("print job of %s: not queued with its file after 30 s (last: %+v, %v)", id, j, err)
		}
	}
	w.l.rec.add("print.wait", time.Since(start), nil) // the intake's lag behind 登记编号
	for _, step := range []struct{ kind, path, body string }{
		{"print.claim", "/claim", ""},
		{"print.proofread", "/proofread", `{"ok":true,"note":"校对无误"}`},
		{"print.sealcheck", "/seal-check", ""},
		{"print.done", "/done", `{"note":"印制完成"}`},
	} {
		ctype := ""
		if step.body != "" {
			ctype = "application/json"
		}
		if err := w.l.do(step.kind, printer, "POST", job+step.path, ctype, []byte(step.body), nil); err != nil {
			return err
		}
	}
	return nil
}

// holderOf answers the signed-in account holding doc's open task at node.
func (w *worker) holderOf(doc document, node string) (user, task string) {
	for _, t := range doc.Tasks {
		if a := w.l.byID[t.Assignee]; t.Node == node && a != nil {
			return a.name, t.ID
		}
	}
	return "", ""
}

// mail uploads a small unique attachment, sends it to a colleague, and the
// colleague opens the inbox.
func (w *worker) mail() error {
	from := pick(w.r, mailers)
	to := pick(w.r, mailers)
	for to == from {
		to = pick(w.r, mailers)
	}
	n := w.l.seq.Add(1)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", fmt.Sprintf("会议材料%d.txt", n))
	fmt.Fprintf(fw, "第%d号会议材料：工作回顾与下一步安排。%x\n", n, w.r.Uint64())
	_ = mw.Close()
	var media struct {
		ID, Name, Type string
		Size           int64
	}
	if err := w.l.do("upload", from, "POST", "/api/portal/v1/media", mw.FormDataContentType(), buf.Bytes(), &media); err != nil {
		return err
	}
	in, _ := json.Marshal(map[string]any{"to": []map[string]string{{"userId": w.l.accounts[to].id}},
		"subject": fmt.Sprintf("会议材料（第%d号）", n), "body": "<p>请于周五前阅读附件。</p>",
		"attachments": []map[string]any{{"mediaId": media.ID, "name": media.Name, "size": media.Size, "type": media.Type}}})
	if err := w.l.do("mail.send", from, "POST", "/api/office/v1/mail", "application/json", in, nil); err != nil {
		return err
	}
	return w.l.do("mail.inbox", to, "GET", "/api/office/v1/mail/inbox", "", nil, nil)
}
