package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"zhengwu/cms/media"

	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/officeapi/assistant"
	"zhengwu/officeapi/desktop/desktophttp"
	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/info"
	"zhengwu/officeapi/mail"
	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/schedule"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
)

// The authorisation matrix (#10): generated from the three APIs' OpenAPI
// documents — every route, as every kind of caller: anonymous; signed in
// with nothing; holding each declared permission in the objects'
// department, in another department, or office-wide; and with every
// permission but a clearance below the objects' 密级. Each route's
// x-permission and x-scope say what it needs; a caller without it must
// be refused (never a 2xx), an anonymous caller of a route that needs a
// token gets 401, nothing answers 5xx, and every refusal is problem+json.
//
// Routes that change things are asked only by callers who must be
// refused (an allowed caller would change the objects under the other
// rows); the malformed-input sweep below sends every route junk as an
// allowed caller.

// ownDept is the department the fixtures belong to; otherDept another.
const (
	ownDept   = "xinxi"
	otherDept = "ducha"
)

type matrixOp struct {
	api, method, path string
	auth              bool
	perm, scope       string
	or                []string        // permissions that do as well as perm
	collection        string          // the store collection of the document its {id} names
	example           json.RawMessage // a request body that would succeed, if the description has one
}

type caller struct {
	name  string
	p     *auth.Principal // nil: anonymous
	token string
}

func TestAuthorisationMatrix(t *testing.T) {
	srv, fx, ops, paths := everyRoute(t, "the matrix sends thousands of requests")
	callers := matrixCallers(t, srv, ops)
	requests, refusals := 0, 0
	for i, op := range ops {
		for _, c := range callers {
			allowed := mayAct(c.p, op)
			if op.method != "GET" && allowed {
				continue // see above: allowed writes would change the fixtures
			}
			status, ct, full := matrixDo(t, srv, op.method, op.api+paths[i], c.token, op.example)
			body := short(full)
			requests++
			where := fmt.Sprintf("%s %s%s as %s", op.method, op.api, paths[i], c.name)
			if status >= 500 {
				t.Errorf("%s: %d %s", where, status, body)
			}
			if status >= 400 && !strings.HasPrefix(ct, "application/problem+json") {
				t.Errorf("%s: refusal %d is %q, not problem+json", where, status, ct)
			}
			if c.p == nil && op.auth && status != 401 {
				t.Errorf("%s: anonymous on a route that needs a token: %d %s", where, status, body)
			}
			if !allowed && status < 300 {
				t.Errorf("%s: needs %s (%s) and the caller lacks it, yet %d %s", where, op.perm, op.scope, status, body)
			}
			if !allowed {
				refusals++
			}
		}
	}
	// Classification: every permission office-wide, but a clearance below
	// the 秘密 item — no read by id lets it through.
	low := callers[len(callers)-1]
	for _, op := range ops {
		if op.method != "GET" || !strings.Contains(op.path, "/info/items/{id}") {
			continue
		}
		path := strings.Replace(op.path, "{id}", fx.secretItem, 1)
		status, _, full := matrixDo(t, srv, "GET", op.api+path, low.token, nil)
		body := short(full)
		if status < 300 {
			t.Errorf("GET %s as %s (clearance 非密): %d %s", path, low.name, status, body)
		}
	}
	t.Logf("%d routes × %d callers: %d requests, %d of them by callers who had to be refused", len(ops), len(callers), requests, refusals)
	if refusals == 0 || len(ops) < 50 {
		t.Fatalf("the matrix checked nothing: %d routes, %d refusals", len(ops), refusals)
	}
}

// The malformed-input sweep (#10): every route, as a caller who may use
// it, with junk in the path, the query and the body — nothing answers
// 5xx, every refusal is problem+json.
func TestMalformedInputSweep(t *testing.T) {
	srv, fx, ops, paths := everyRoute(t, "the sweep sends hundreds of requests")
	all := callers(t, srv, []caller{everything(srv, "sweep", classification.Jimi)})[0]
	junkIDs := []string{strings.Repeat("长", 300), "%00", "..%2f..%2fetc", "%E6%94%BF%E5%8A%A1", "-1", "0"}
	junkQueries := []string{"size=-1", "size=abc", "size=1000000", "page=0", "after=-5", "consistentWith=99999999999",
		"consistentWith=x", "q=" + strings.Repeat("%E6%94%BF", 300), "from=yesterday", "sort=;drop", "cursor=%FF%FE", "state=<script>"}
	junkBodies := []string{`{`, `[]`, `"x"`, `{"title": 5}`, `{"version": "x"}`, `{"unknown": true}`, `null`,
		`{"title":"` + strings.Repeat("长", 100000) + `"}`, "\x00\x01", `{"classification":"绝密","kind":"x"}`}
	requests := 0
	check := func(method, path, body, ct string) {
		t.Helper()
		status, rct, full := matrixDoRaw(t, srv, method, path, all.token, body, ct)
		resp := short(full)
		requests++
		if status >= 500 {
			t.Errorf("%s %s [%.40q]: %d %s", method, path, body, status, resp)
		}
		if status >= 400 && !strings.HasPrefix(rct, "application/problem+json") {
			t.Errorf("%s %s: refusal %d is %q, not problem+json", method, path, status, rct)
		}
	}
	for i, op := range ops {
		base := paths[i]
		if strings.Contains(op.path, "{") {
			for _, id := range junkIDs {
				check(op.method, op.api+fx.withAll(op.path, id), "", "")
			}
		}
		for _, q := range junkQueries {
			check(op.method, op.api+base+"?"+q, "", "")
		}
		if op.method != "GET" && op.method != "DELETE" {
			for _, b := range junkBodies {
				check(op.method, op.api+base, b, "application/json")
			}
			check(op.method, op.api+base, `{"username":"x"}`, "text/plain")
		}
	}
	t.Logf("%d routes: %d malformed requests", len(ops), requests)
}

// fixtures are the objects the path parameters name. An {id} whose
// route declares the store collection of its document (x-collection,
// openapi.Op.Collection) names a demo document of that collection in
// ownDept; any other parameter names the explicit id in ids, keyed by the
// path up to it ("/users/{id}/grants/{grantId}"). A parameter with
// neither fails the matrix: without an object the route answers every
// caller 404 and the matrix proves nothing for it.
type fixtures struct {
	inDept     map[string]string // a collection → a document of ownDept in it
	ids        map[string]string // a parameter, by the path up to it → the id it gets
	secretItem string
}

// path is op's path with fixture ids in its parameters, or what to
// declare where one has none.
func (fx fixtures) path(op matrixOp) (string, error) {
	tmpl := strings.Split(op.path, "/")
	segs := slices.Clone(tmpl)
	for i, seg := range tmpl {
		if !strings.HasPrefix(seg, "{") {
			continue
		}
		key := strings.Join(tmpl[:i+1], "/")
		if id, ok := fx.inDept[op.collection]; ok && seg == "{id}" {
			segs[i] = id
			continue
		}
		id, ok := fx.ids[key]
		if !ok {
			return "", fmt.Errorf("%s %s%s: nothing for %s: declare the store collection of the document it names on the route "+
				"(openapi.Op{Collection: …}; the demo data must hold one of %s), or, if it names none, give it an id in "+
				"matrixServer: fx.ids[%q] = …", op.method, op.api, op.path, seg, ownDept, key)
		}
		segs[i] = id
	}
	return strings.Join(segs, "/"), nil
}

// paths are the ops' paths with fixtures (fx.path), in order; the test
// fails naming every parameter that has none.
func (fx fixtures) paths(t *testing.T, ops []matrixOp) []string {
	t.Helper()
	out := make([]string, len(ops))
	var missing []string
	for i, op := range ops {
		p, err := fx.path(op)
		if err != nil {
			missing = append(missing, err.Error())
		}
		out[i] = p
	}
	if len(missing) > 0 {
		t.Fatalf("routes with path parameters the matrix has no object for:\n%s", strings.Join(missing, "\n"))
	}
	return out
}

// withAll puts id in every parameter.
func (fx fixtures) withAll(p, id string) string {
	for strings.Contains(p, "{") {
		i, j := strings.Index(p, "{"), strings.Index(p, "}")
		p = p[:i] + id + p[j+1:]
	}
	return p
}

// everyRoute is the long tests' start (skipped with -short, saying why):
// the demo server, every route its OpenAPI documents describe, and a
// path to each (paths[i] is ops[i]'s).
func everyRoute(t *testing.T, why string) (srv *server, fx fixtures, ops []matrixOp, paths []string) {
	t.Helper()
	if testing.Short() {
		t.Skip(why)
	}
	// A live stream (text/event-stream) ends at once, so that its start
	// (status, headers, refusal) is read as a whole response.
	lifetime := desktophttp.Lifetime
	desktophttp.Lifetime = time.Millisecond
	t.Cleanup(func() { desktophttp.Lifetime = lifetime })
	srv, fx = matrixServer(t)
	ops = describedOps(t, srv)
	return srv, fx, ops, fx.paths(t, ops)
}

// matrixServer is the whole server on a fresh data directory with the
// demo organisation, its office documents and portal content, and a few
// more fixtures of ownDept.
func matrixServer(t *testing.T) (*server, fixtures) {
	t.Helper()
	ctx := context.Background()
	srv, rt := demoServer(t, "Matrix-Demo-2026", "--rate-limit", "0")
	p := srv.parts
	fx := fixtures{inDept: map[string]string{}, ids: map[string]string{}}
	first := func(collection string, ok func(store.Doc) bool) (string, bool) {
		docs, err := rt.store.Scan(ctx, collection, "", 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			if ok(d) {
				return d.ID, true
			}
		}
		return "", false
	}
	ofDept := func(d store.Doc) bool {
		var v struct {
			Department string `json:"department"`
		}
		return d.Decode(&v) == nil && v.Department == ownDept
	}
	sec, _ := p.identity.PrincipalByUsername(ctx, "secadmin")
	if _, err := p.info.AddRule(ctx, info.Actor{P: sec, IP: "test"}, info.RuleInput{Department: ownDept, Kind: info.KindUpdate, Channel: "news"}); err != nil {
		t.Fatal(err) // the demo has no auto-publish rule
	}
	for _, op := range describedOps(t, srv) {
		if _, done := fx.inDept[op.collection]; op.collection == "" || done {
			continue
		}
		id, ok := first(op.collection, ofDept)
		if !ok {
			t.Fatalf("%s %s declares x-collection %s, which holds no document of %s: the demo data must have one", op.method, op.path, op.collection, ownDept)
		}
		fx.inDept[op.collection] = id
	}
	var ok bool
	fx.secretItem, ok = first(info.Collection, func(d store.Doc) bool {
		var it info.Item
		return d.Decode(&it) == nil && it.Classification == classification.Mimi && it.State == info.StatePublished
	})
	if !ok {
		t.Fatal("the demo has no published 秘密 item")
	}

	// Parameters that name no document of a collection with a department.
	staff, err := p.identity.PrincipalByUsername(ctx, "staff")
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["/users/{id}"] = staff.UserID
	if gs, err := p.identity.Grants(ctx, staff.UserID); err == nil && len(gs) > 0 {
		fx.ids["/users/{id}/grants/{grantId}"] = gs[0].ID
	}
	fx.ids["/org/departments/{id}"] = ownDept
	fx.ids["/org/posts/{id}"] = "xinxi-bianji"
	fx.ids["/flows/{key}"] = "outgoing"
	fx.ids["/flows/{key}/versions/{version}"] = "1"
	fx.ids["/calendar/{year}"] = "2026"
	fx.ids["/seal/units/{unit}"] = "office" // an issuing unit: the org tree's roots (the demo gives each a key)
	if u, err := p.seal.Unit(ctx, sec, "office"); err == nil && len(u.Keys) > 0 {
		fx.ids["/seal/units/{unit}/keys/{keyId}"] = u.Keys[0].ID
	}
	// Duty: the demo's roster of this month, the handover of yesterday's shift.
	fx.ids["/duty/rosters/{month}"] = time.Now().Format("2006-01")
	fx.ids["/duty/shifts/{date}"] = time.Now().In(time.FixedZone("CST", 8*3600)).Add(-24*time.Hour - 8*time.Hour - 30*time.Minute).Format("2006-01-02")
	fx.ids["/schedule/weeks/{week}"] = schedule.WeekOf(time.Now()) // the demo's published week
	// The assistant's documents are their owners' alone: any demo one will do.
	for path, collection := range map[string]string{"/assistant/events/{id}": assistant.EventCollection,
		"/assistant/todos/{id}": assistant.TodoCollection, "/assistant/notes/{id}": assistant.NoteCollection} {
		if id, ok := first(collection, func(store.Doc) bool { return true }); ok {
			fx.ids[path] = id
		}
	}
	fx.ids["/contacts/{id}"] = staff.UserID
	sys, _ := p.identity.PrincipalByUsername(ctx, "sysadmin")
	change, err := p.identity.RequestOfficerChange(ctx, identity.Actor{Principal: sys, IP: "test"},
		identity.OfficerChangeRequest{UserID: sec.UserID, Kind: identity.ChangeDisplayName, DisplayName: "安全员", Reason: "更正姓名"})
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["/officer-changes/{id}"] = change.ID
	// A notification is its recipient's alone: the matrix's callers are
	// none of them, so every one of them is refused (404).
	if notes, err := rt.store.Scan(ctx, notify.Collection, "", 1); err == nil && len(notes) > 0 {
		fx.ids["/notifications/{id}"] = notes[0].ID
	}
	fx.ids["/manage/documents/{id}/editions/{n}"] = "1"
	// Mail: a demo mail in 李文静's (信息处) inbox; no matrix caller holds it.
	mailEditor, _ := p.identity.PrincipalByUsername(ctx, "editor")
	var letter mail.Entry
	if _, ok := first(mail.Entries, func(d store.Doc) bool { return d.Decode(&letter) == nil && letter.Owner == mailEditor.UserID }); !ok {
		t.Fatal("the demo has no mail of editor's")
	}
	fx.ids["/mail/entries/{id}"], fx.ids["/mail/messages/{id}"] = letter.ID, letter.Message
	groups, _ := store.LoadAll[mail.Group](ctx, rt.store, mail.Groups)
	if len(groups) == 0 {
		t.Fatal("the demo has no mail group")
	}
	fx.ids["/mail/groups/{id}"] = groups[0].ID
	rec, _, err := p.portal.Media.Add(ctx, media.Upload{Name: "附件.png", Content: bytes.NewReader(tinyPNG()),
		Actor: "m-uploader", ActorIP: "test"})
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["/media/{id}"] = rec.ID
	editor := &auth.Principal{UserID: "m-previewer", Clearance: classification.Jimi,
		Perms: map[string][]string{content.PermEdit.Key(): {auth.OfficeWide}}}
	doc, _ := first(content.DocumentsCollection, ofDept)
	preview, err := p.portal.Content.CreatePreview(ctx, editor, doc)
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["/preview/{token}"] = preview.Token
	var it item.Item
	if _, ok := first(item.Collection, func(d store.Doc) bool { return d.Decode(&it) == nil && ofDept(d) }); !ok {
		t.Fatal("the demo portal has no item of " + ownDept)
	}
	fx.ids["/items/by-path/{path}"] = it.Path
	return srv, fx
}

// describedOps are the operations of the three APIs' documents.
func describedOps(t *testing.T, srv *server) []matrixOp {
	t.Helper()
	var ops []matrixOp
	for _, api := range []string{"/api/office/v1", "/api/portal/v1", "/api/search/v1"} {
		status, _, body := matrixDo(t, srv, "GET", api+"/openapi.json", "", nil)
		if status != 200 {
			t.Fatalf("%s/openapi.json: %d", api, status)
		}
		var doc struct {
			Paths map[string]map[string]struct {
				Security    []map[string][]string `json:"security"`
				Perm        string                `json:"x-permission"`
				Or          []string              `json:"x-permission-or"`
				Scope       string                `json:"x-scope"`
				Collection  string                `json:"x-collection"`
				RequestBody struct {
					Content map[string]struct {
						Example json.RawMessage `json:"example"`
					} `json:"content"`
				} `json:"requestBody"`
			} `json:"paths"`
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatal(err)
		}
		for path, methods := range doc.Paths {
			for method, o := range methods {
				ops = append(ops, matrixOp{api: api, method: strings.ToUpper(method), path: path,
					auth: len(o.Security) > 0, perm: o.Perm, or: o.Or, scope: o.Scope, collection: o.Collection,
					example: o.RequestBody.Content["application/json"].Example})
			}
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		return ops[i].api+ops[i].path+ops[i].method < ops[j].api+ops[j].path+ops[j].method
	})
	return ops
}

// mayAct reports whether p holds what op declares it needs, one of its
// permissions in its scope (for objects of ownDept).
func mayAct(p *auth.Principal, op matrixOp) bool {
	if op.perm == "" {
		return true // no permission declared: the route decides by the object
	}
	if p == nil {
		return false
	}
	return slices.ContainsFunc(append([]string{op.perm}, op.or...), func(perm string) bool {
		scopes := p.Perms[perm]
		switch op.scope {
		case "office":
			return slices.Contains(scopes, auth.OfficeWide)
		case "department":
			return slices.Contains(scopes, auth.OfficeWide) || slices.Contains(scopes, ownDept)
		default: // any
			return len(scopes) > 0
		}
	})
}

// matrixCallers: anonymous, signed in with nothing, each declared
// permission in ownDept, in otherDept and office-wide, and (last) every
// permission office-wide under a clearance of 非密.
func matrixCallers(t *testing.T, srv *server, ops []matrixOp) []caller {
	t.Helper()
	perms := map[string]bool{}
	for _, op := range ops {
		for _, perm := range append([]string{op.perm}, op.or...) {
			if perm != "" {
				perms[perm] = true
			}
		}
	}
	keys := make([]string, 0, len(perms))
	for k := range perms {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	cs := []caller{{name: "anonymous"}, {name: "nobody", p: &auth.Principal{UserID: "m-nobody", Username: "m-nobody",
		Clearance: classification.Jimi, Perms: map[string][]string{}}}}
	for _, k := range keys {
		for _, scope := range []string{ownDept, otherDept, auth.OfficeWide} {
			id := "m-" + strings.ReplaceAll(k, ".", "-") + "-" + strings.ReplaceAll(scope, "*", "all")
			cs = append(cs, caller{name: k + "@" + scope, p: &auth.Principal{UserID: id, Username: id,
				Clearance: classification.Jimi, Departments: []string{scope}, Perms: map[string][]string{k: {scope}}}})
		}
	}
	cs = append(cs, everything(srv, "low-clearance", classification.Feimi))
	return callers(t, srv, cs)
}

// everything holds every declared permission office-wide.
func everything(srv *server, name string, clearance classification.Level) caller {
	p := &auth.Principal{UserID: "m-" + name, Username: "m-" + name, Clearance: clearance, Perms: map[string][]string{}}
	for _, perm := range auth.Permissions() {
		p.Perms[perm.Key()] = []string{auth.OfficeWide}
	}
	return caller{name: name, p: p}
}

// callers issues each caller's token.
func callers(t *testing.T, srv *server, cs []caller) []caller {
	t.Helper()
	for i := range cs {
		if cs[i].p == nil {
			continue
		}
		tok, _, err := srv.parts.tokens.Issue(*cs[i].p, "matrix-"+cs[i].p.UserID)
		if err != nil {
			t.Fatal(err)
		}
		cs[i].token = tok
	}
	return cs
}

func matrixDo(t *testing.T, srv *server, method, path, token string, body json.RawMessage) (int, string, []byte) {
	t.Helper()
	b, ct := "", ""
	if method != "GET" && method != "DELETE" {
		b, ct = "{}", "application/json"
		if len(body) > 0 {
			b = string(body)
		}
	}
	return matrixDoRaw(t, srv, method, path, token, b, ct)
}

func matrixDoRaw(t *testing.T, srv *server, method, path, token, body, ct string) (int, string, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = bytes.NewReader([]byte(body))
	}
	req := httptest.NewRequest(method, "http://zhengwu.test"+path, rd)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := srv.app.Test(req, 30_000)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Content-Type"), data
}

// tinyPNG is a 1×1 PNG: an upload the media store takes.
func tinyPNG() []byte {
	var b bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 1, 1))
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// short is the start of a body, for a message.
func short(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}
