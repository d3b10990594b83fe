package gateway_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	pngenc "image/png"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/gofiber/fiber/v2"

	"zhengwu/cms"
	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/cms/media"
	"zhengwu/gateway"
	"zhengwu/search/feed"
	"zhengwu/search/index"
	"zhengwu/search/searchapi"
	"zhengwu/search/searchapi/searchhttp"
	"zhengwu/search/source"
	"zhengwu/shared/audit"
	"zhengwu/shared/httpx"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// portalEnv is the gateway with the whole portal behind it, wired as
// cmd/zhengwu/serve.go wires it: the CMS (cms.New: content, delivery and
// their indexes, with their feed consumers running) and the search API on
// the one store, both mounted in one Fiber app. The property test reads
// the portal the way readers do: the delivery index, the search index and
// the HTTP responses.
type portalEnv struct {
	*env
	cms    *cms.Service
	search *searchapi.Service
	app    *fiber.App
	// files are attachments an office item may carry: a PDF, a PNG, an
	// OFD and a zip in the media store (the zip's type is not allowed to
	// cross), and two that the media store does not hold (which the CMS
	// refuses, so the gateway must too). media is the set held.
	files []infoAttach
	media map[string]bool
}

func openPortal(t *testing.T) *portalEnv {
	t.Helper()
	return newPortal(t, false)
}

// newPortal builds the portal environment. live false is what the
// property test drives step by step: a fake clock, no notifications (the
// test wakes the consumers itself, see settle) and a 20 ms gateway poll.
// live true is the server's wiring in full: the real clock, the store
// wrapped by store.WithNotify with the gateway (which subscribes itself),
// the CMS's feed consumers and the search service subscribed to it, and
// the gateway's default poll interval, as in cmd/zhengwu/serve.go.
func newPortal(t testing.TB, live bool) *portalEnv {
	t.Helper()
	ctx := context.Background()
	k := testkit.New(t)
	k.Clock.Set(clockStart)
	var st store.Store = k.SQLite // no notifications
	now, interval := k.Clock.Now, 20*time.Millisecond
	if live {
		st, now, interval = k.Store, time.Now, 0 // 0: gateway.DefaultInterval
		k.Trail = audit.New(k.Store, time.Now)
	}
	dir := k.Dir
	bg, stop := context.WithCancel(ctx)
	var closers []func() error
	t.Cleanup(func() {
		stop()
		for i := len(closers) - 1; i >= 0; i-- {
			_ = closers[i]()
		}
	})
	portal, err := cms.New(ctx, cms.Deps{Store: st, Trail: k.Trail, Tokens: k.Tokens, Now: now, DataDir: dir, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	closers = append(closers, portal.Close)
	if err := portal.Start(bg); err != nil {
		t.Fatal(err)
	}
	// The office scope has no collections here: only the portal scope
	// matters to the gateway.
	finder, err := searchapi.New(searchapi.Deps{Store: st, DataDir: dir, Logger: quiet, Now: now,
		Projections: []source.Projection{item.SearchProjection(item.SearchDeps{Store: st, Logger: quiet})}})
	if err != nil {
		t.Fatal(err)
	}
	closers = append(closers, finder.Close)
	if err := finder.Start(bg); err != nil {
		t.Fatal(err)
	}
	if live {
		k.Store.Subscribe(portal.Content.Notify)
		k.Store.Subscribe(portal.Delivery.Notify)
		k.Store.Subscribe(finder.Notify)
	}
	gw, err := gateway.New(gateway.Deps{Office: st, Portal: portal.Content, Trail: k.Trail, Channels: portal.Channels,
		Now: now, Logger: quiet, Interval: interval})
	if err != nil {
		t.Fatal(err)
	}
	app := httpx.NewApp(httpx.Options{Logger: quiet})
	portal.Mount(app)
	searchhttp.Mount(app, finder, k.Tokens)
	e := &env{Env: k, ctx: ctx, svc: portal.Content, gw: gw}
	p := &portalEnv{env: e, cms: portal, search: finder, app: app, media: map[string]bool{}}
	for _, f := range testFiles(t) {
		rec, _, err := portal.Media.Add(ctx, media.Upload{Name: f.name, Content: bytes.NewReader(f.data), Actor: "u-1"})
		if err != nil {
			t.Fatalf("upload %s: %v", f.name, err)
		}
		if rec.Type != f.typ {
			t.Fatalf("upload %s: stored as %s, want %s", f.name, rec.Type, f.typ)
		}
		p.media[rec.ID] = true
		p.files = append(p.files, infoAttach{MediaID: rec.ID, Name: f.name, Size: rec.Size, Type: rec.Type})
	}
	p.files = append(p.files,
		infoAttach{MediaID: "not-in-the-media-store", Name: "缺失.pdf", Size: 10, Type: "application/pdf"},
		infoAttach{MediaID: "page-html", Name: "网页.html", Size: 10, Type: "text/html"})
	return p
}

type testFile struct {
	name, typ string
	data      []byte
}

// testFiles are small files of the types the media store sniffs.
func testFiles(t testing.TB) []testFile {
	t.Helper()
	var png bytes.Buffer
	must(t, pngenc.Encode(&png, image.NewGray(image.Rect(0, 0, 2, 2))))
	zipOf := func(names ...string) []byte {
		var b bytes.Buffer
		w := zip.NewWriter(&b)
		for _, n := range names {
			f, err := w.Create(n)
			must(t, err)
			_, err = f.Write([]byte("<x/>"))
			must(t, err)
		}
		must(t, w.Close())
		return b.Bytes()
	}
	return []testFile{
		{"附件.pdf", "application/pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")},
		{"附图.png", "image/png", png.Bytes()},
		{"版式.ofd", "application/ofd", zipOf("OFD.xml", "Doc_0/Document.xml")},
		{"资料.zip", "application/zip", zipOf("a.txt")},
	}
}

// settle waits until the portal's indexes have applied every write so far
// (the gateway's included): their checkpoints reach the store's last
// sequence. The consumers are woken rather than left to their poll.
func (p *portalEnv) settle(t testing.TB) {
	t.Helper()
	last, err := p.Store.LastSeq(p.ctx)
	must(t, err)
	p.cms.Delivery.Notify()
	p.cms.Content.Notify()
	p.search.Notify()
	for _, ix := range []*index.Index{p.cms.Delivery.Index(), p.search.Index(source.PortalName)} {
		if err := ix.WaitFor(p.ctx, last, time.Minute); err != nil {
			t.Fatalf("%s did not catch up: %v", ix.Name(), err)
		}
	}
}

// tokensIn returns the revision tokens (revTokens: "rv" and six digits)
// in text: a plain scan, since it reads every response and every stored
// portal document of every round.
func tokensIn(text string) []string {
	var out []string
	for i := 0; ; {
		j := strings.Index(text[i:], "rv")
		if j < 0 {
			return out
		}
		i += j + 2
		if isToken(text[i-2:]) {
			out = append(out, text[i-2:i+6])
			i += 6
		}
	}
}

// isToken: s starts with a whole revision token.
func isToken(s string) bool {
	if len(s) < 8 || s[:2] != "rv" {
		return false
	}
	for _, c := range []byte(s[2:8]) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// hasSecret reports whether text holds the classified marker, as written
// or JSON-escaped.
func hasSecret(text string) bool {
	return strings.Contains(text, secretMark) || strings.Contains(text, `\u3014\u6d89\u5bc6\u3015`)
}

// expectation is what the portal must show after a sync.
type expectation struct {
	tk      *revTokens
	sims    map[string]*simItem // every source id the test ever wrote
	allowed map[string]*simItem // source id → item the policy allows now
	current map[string]string   // token of an allowed item's revision → source id
	docOf   map[string]string   // source id → portal document id (every import ever made)
	srcOf   map[string]string   // portal document id → source id
	// channel is the channel an allowed item must be in: its designated one.
	channel map[string]string
	// The portal store as scanned once after the sync: documents and
	// portal items by source id, and the raw documents of every portal
	// collection.
	doc  map[string]content.Document
	item map[string]item.Item
	raw  map[string][]store.Doc
}

// expect computes the expectation after a sync and records the allowed
// revisions as allowed once (their text may stay in the portal's history).
func expect(t *testing.T, e *env, sims []*simItem, tk *revTokens, media map[string]bool) *expectation {
	t.Helper()
	now := e.Clock.Now()
	x := &expectation{tk: tk, sims: map[string]*simItem{}, allowed: map[string]*simItem{}, current: map[string]string{},
		docOf: map[string]string{}, srcOf: map[string]string{}, channel: map[string]string{},
		doc: map[string]content.Document{}, item: map[string]item.Item{}, raw: map[string][]store.Doc{}}
	for _, s := range sims {
		if x.sims[s.ID] != nil {
			t.Fatalf("two simulated items with id %s", s.ID)
		}
		x.sims[s.ID] = s
		if !s.deleted && oracle(s.info, s.unknownKey, now) && inMedia(s.Attachments, media) {
			x.allowed[s.ID] = s
			x.current[s.tok] = s.ID
			tk.everAllowed[s.tok] = true
		}
	}
	for _, coll := range portalCollections {
		x.raw[coll] = scanAll(t, e.Store, coll)
	}
	for _, d := range x.raw[content.ImportsCollection] {
		var m struct {
			SourceID string `json:"sourceId"`
			DocID    string `json:"docId"`
		}
		must(t, json.Unmarshal(d.Data, &m))
		if m.SourceID != d.ID || m.DocID == "" {
			t.Fatalf("import mapping %s: %s", d.ID, d.Data)
		}
		x.docOf[m.SourceID], x.srcOf[m.DocID] = m.DocID, m.SourceID
	}
	for _, d := range x.raw[content.DocumentsCollection] {
		var doc content.Document
		must(t, json.Unmarshal(d.Data, &doc))
		if doc.Source == nil || x.docOf[doc.Source.ID] != d.ID {
			t.Fatalf("portal document %s is not the one import of its source: %s", d.ID, d.Data)
		}
		x.doc[doc.Source.ID] = doc
	}
	for _, d := range x.raw[item.Collection] {
		src, ok := x.srcOf[d.ID]
		if !ok {
			t.Fatalf("portal item %s is no gateway import", d.ID)
		}
		var it item.Item
		must(t, json.Unmarshal(d.Data, &it))
		x.item[src] = it
	}
	for src, s := range x.allowed {
		x.channel[src] = s.Portal.Channel
	}
	return x
}

// portalCollections are the collections the CMS writes imports to.
var portalCollections = []string{item.Collection, content.DocumentsCollection, content.EditionsCollection,
	content.ImportsCollection, content.PreviewsCollection}

// inMedia: the portal takes only attachments its media store holds (the
// CMS refuses a copy with any other as invalid, and the gateway then
// refuses the item: it fails closed).
func inMedia(as []infoAttach, media map[string]bool) bool {
	for _, a := range as {
		if !media[a.MediaID] {
			return false
		}
	}
	return true
}

// readerLeak says what in text (something a reader can get: a portal
// item, an index document, an API response) no reader may see: the
// classified marker, or any revision token but that of an allowed item's
// latest revision. src, if set, is the source the text is about: then only
// that source's token may appear.
func (x *expectation) readerLeak(text, src string) string {
	if hasSecret(text) {
		return "the classified marker " + secretMark
	}
	for _, tok := range tokensIn(text) {
		owner, ok := x.current[tok]
		if !ok {
			return x.describe(tok) + ", not an allowed item's latest revision"
		}
		if src != "" && owner != src {
			return x.describe(tok) + ", in what belongs to " + src
		}
	}
	return ""
}

// historyLeak says what in text (the portal's own records: documents,
// editions, import mappings) was never allowed to reach the portal: the
// classified marker, or the token of a revision the policy never allowed
// at any sync.
func (x *expectation) historyLeak(text string) string {
	if hasSecret(text) {
		return "the classified marker " + secretMark
	}
	for _, tok := range tokensIn(text) {
		if !x.tk.everAllowed[tok] {
			return x.describe(tok) + ", never allowed"
		}
	}
	return ""
}

func (x *expectation) describe(tok string) string {
	r, ok := x.tk.all[tok]
	if !ok {
		return "unknown token " + tok
	}
	what := "unclassified when written"
	if r.classified {
		what = "CLASSIFIED when written"
	}
	return fmt.Sprintf("token %s of %s revision %d (%s)", tok, r.id, r.rev, what)
}

// checkIndexes: the delivery index (the portal list view's feed
// checkpoint) holds every allowed item and nothing readable of any
// gateway item;
// the portal search index holds exactly the allowed items. Both are read
// twice: their stored fields, and their inverted index (every indexed term
// that looks like a revision token, with where it is).
func (p *portalEnv) checkIndexes(t *testing.T, x *expectation, round int) {
	t.Helper()
	// Delivery: every status is indexed, as ids and versions only.
	seen := map[string]bool{}
	for _, h := range listIndex(t, p.ctx, p.cms.Delivery.Index()) {
		src, ok := x.srcOf[h.ID]
		if !ok {
			t.Fatalf("round %d: delivery index holds %s, which is no gateway import: %v", round, h.ID, h.Fields)
		}
		if leak := x.readerLeak(fmt.Sprint(h.Fields), src); leak != "" {
			t.Fatalf("round %d: delivery index document %s (source %s) holds %s: %v", round, h.ID, src, leak, h.Fields)
		}
		// The list index keeps no item field any more: lists, paths and
		// reverse links are answered from memory (ADR 0012), and checkAPI
		// checks what they show. What the index stores must not name one.
		for _, f := range []string{"title", "titleSort", "listing", "channels", "path"} {
			if v, ok := h.Fields[f]; ok {
				t.Fatalf("round %d: delivery index document %s stores %s=%v", round, h.ID, f, v)
			}
		}
		_, allowed := x.allowed[src]
		seen[src] = allowed
	}
	for src := range x.allowed {
		if !seen[src] {
			t.Fatalf("round %d: %s allowed but not in the delivery index", round, src)
		}
	}
	// The list index analyses no item text: its terms need no check of
	// their own.

	// Search: the portal index holds published and withdrawn items only.
	seen = map[string]bool{}
	for _, h := range listIndex(t, p.ctx, p.search.Index(source.PortalName)) {
		src := x.srcOf[storeID(h.ID)]
		s, allowed := x.allowed[src]
		if !allowed {
			t.Fatalf("round %d: search index holds %s (source %q), which the policy does not allow: %v", round, h.ID, src, h.Fields)
		}
		if leak := x.readerLeak(fmt.Sprint(h.Fields), src); leak != "" {
			t.Fatalf("round %d: search index document %s (source %s) holds %s", round, h.ID, src, leak)
		}
		if title, _ := h.Fields["title"].(string); title != s.Title {
			t.Fatalf("round %d: %s allowed at %q, search index has %q", round, src, s.Title, title)
		}
		seen[src] = true
	}
	for src := range x.allowed {
		if !seen[src] {
			t.Fatalf("round %d: %s allowed but not in the search index", round, src)
		}
	}
	checkTerms(t, p.ctx, p.search.Index(source.PortalName),
		[]string{"title", "titlePrefix", "summary", "body", "attachmentText", "docNumber"}, x, round)
}

// storeID is the store id of an index document's id: a search index
// keys its documents by collection and id (feed.Key), a list index by id.
func storeID(indexID string) string {
	if _, id, ok := feed.Entity(indexID); ok {
		return id
	}
	return indexID
}

// listIndex is every document of an index with all its stored fields.
func listIndex(t *testing.T, ctx context.Context, ix *index.Index) []index.Hit {
	t.Helper()
	var out []index.Hit
	q := index.Query{Sort: []string{"_id"}, Size: index.MaxSize, Fields: []string{"*"}}
	for {
		res, err := ix.List(ctx, q)
		must(t, err)
		out = append(out, res.Hits...)
		if res.Next == "" {
			return out
		}
		q.After = res.Next
	}
}

// checkTerms finds every term starting with "rv" in the given text fields
// of ix, with the documents and fields that hold it: each must be (a
// prefix, for prefix-analysed fields, of) the token of the document's
// allowed revision. And each allowed document's own token must be found
// in its title, so the check cannot pass by finding nothing.
func checkTerms(t *testing.T, ctx context.Context, ix *index.Index, fields []string, x *expectation, round int) {
	t.Helper()
	var qs []query.Query
	for _, f := range fields {
		q := bleve.NewPrefixQuery("rv")
		q.SetField(f)
		qs = append(qs, q)
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(qs...), 100000, 0, false)
	req.IncludeLocations = true
	res, err := ix.Search(ctx, req)
	must(t, err)
	own := map[string]bool{}
	for _, h := range res.Hits {
		src := x.srcOf[storeID(h.ID)]
		want := ""
		if s, ok := x.allowed[src]; ok {
			want = s.tok
		}
		for field, terms := range h.Locations {
			for term := range terms {
				if want == "" || !strings.HasPrefix(want, term) {
					what := x.describe(term)
					if !isToken(term) {
						what = "term " + term
					}
					t.Fatalf("round %d: %s indexes %s in field %s of %s (source %q)", round, ix.Name(), what, field, h.ID, src)
				}
				if field == "title" && term == want {
					own[src] = true
				}
			}
		}
	}
	for src := range x.allowed {
		if !own[src] {
			t.Fatalf("round %d: %s: the title token of allowed %s was not found", round, ix.Name(), src)
		}
	}
}

// get calls the app as a reader (no token) and returns status and body.
func (p *portalEnv) get(t *testing.T, path string) (int, []byte) {
	t.Helper()
	resp, err := p.app.Test(httptest.NewRequest("GET", path, nil), 60000)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	return resp.StatusCode, b
}

// listedItem is an item of GET /api/portal/v1/items.
type listedItem struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	Status  string `json:"status"`
	Channel string `json:"channel"`
	Body    string `json:"body"`
}

// listAll reads every page of a list (following the cursor), checking
// each response as a whole and each item on its own.
func (p *portalEnv) listAll(t *testing.T, path string, x *expectation, round int) []listedItem {
	t.Helper()
	var out []listedItem
	next := ""
	for page := 0; ; page++ {
		u := path
		if next != "" {
			u += "&cursor=" + url.QueryEscape(next)
		}
		status, body := p.get(t, u)
		if status != 200 {
			t.Fatalf("round %d: GET %s: %d %s", round, u, status, body)
		}
		if leak := x.readerLeak(string(body), ""); leak != "" {
			t.Fatalf("round %d: GET %s answers %s", round, u, leak)
		}
		var res struct {
			Items []json.RawMessage `json:"items"`
			Total int               `json:"total"`
			Next  string            `json:"next"`
		}
		must(t, json.Unmarshal(body, &res))
		for _, raw := range res.Items {
			var it listedItem
			must(t, json.Unmarshal(raw, &it))
			if leak := x.readerLeak(string(raw), x.srcOf[it.ID]); leak != "" {
				t.Fatalf("round %d: GET %s lists %s with %s", round, u, it.ID, leak)
			}
			out = append(out, it)
		}
		if res.Next == "" {
			if res.Total != len(out) {
				t.Fatalf("round %d: GET %s: total %d, listed %d", round, path, res.Total, len(out))
			}
			return out
		}
		if page > 100 {
			t.Fatalf("round %d: GET %s: more than 100 pages", round, path)
		}
		next = res.Next
	}
}

// searchResult is GET /api/search/v1/search's answer.
type searchResult struct {
	Total uint64 `json:"total"`
	Hits  []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"hits"`
}

func (p *portalEnv) searchFor(t *testing.T, q string, x *expectation, round int) searchResult {
	t.Helper()
	u := searchapi.Prefix + "/search?scope=portal&q=" + url.QueryEscape(q)
	status, body := p.get(t, u)
	if status != 200 {
		t.Fatalf("round %d: GET %s: %d %s", round, u, status, body)
	}
	if leak := x.readerLeak(string(body), ""); leak != "" {
		t.Fatalf("round %d: GET %s answers %s", round, u, leak)
	}
	var r searchResult
	must(t, json.Unmarshal(body, &r))
	return r
}

// checkAPI reads the portal over HTTP as an anonymous reader: every list
// (all items, each channel the gateway publishes to; default fields and
// with the bodies) holds exactly the allowed items at their latest
// revision; every portal document the gateway ever made answers with the
// allowed revision or 404/410 and nothing of its content; full-text search
// finds each allowed item by its revision token and nothing by the token
// of a revision that is not (or no longer) allowed, nor by the classified
// marker. No response holds anything else (readerLeak).
func (p *portalEnv) checkAPI(t *testing.T, x *expectation, round int) {
	t.Helper()
	for _, channel := range []string{"", "news", "files-interpretation"} {
		for _, fields := range []string{"", "&fields=id,title,summary,status,channel,body"} {
			path := "/api/portal/v1/items?size=100" + fields
			if channel != "" {
				path += "&channel=" + channel
			}
			got := map[string]bool{}
			for _, it := range p.listAll(t, path, x, round) {
				src := x.srcOf[it.ID]
				s, allowed := x.allowed[src]
				switch {
				case !allowed:
					t.Fatalf("round %d: GET %s lists %s (source %q), which the policy does not allow", round, path, it.ID, src)
				case got[src]:
					t.Fatalf("round %d: GET %s lists %s twice", round, path, src)
				case it.Title != s.Title || (channel != "" && x.channel[src] != channel):
					t.Fatalf("round %d: GET %s lists %s as %q, allowed is %q in %s", round, path, src, it.Title, s.Title, x.channel[src])
				case fields != "" && (it.Summary != s.Summary || it.Status != item.StatusPublished || !strings.Contains(it.Body, s.tok)):
					t.Fatalf("round %d: GET %s lists %s with %s %q %q, allowed is %q %q", round, path, src, it.Status, it.Summary, it.Body, s.Summary, s.Body)
				}
				got[src] = true
			}
			for src := range x.allowed {
				if !got[src] && (channel == "" || x.channel[src] == channel) {
					t.Fatalf("round %d: GET %s does not list allowed %s", round, path, src)
				}
			}
		}
	}
	for src, docID := range x.docOf {
		path := "/api/portal/v1/items/" + docID
		status, body := p.get(t, path)
		if leak := x.readerLeak(string(body), src); leak != "" {
			t.Fatalf("round %d: GET %s (source %s) answers %d with %s", round, path, src, status, leak)
		}
		s, allowed := x.allowed[src]
		if !allowed {
			if status != 404 && status != 410 {
				t.Fatalf("round %d: GET %s (source %s, not allowed): %d %s", round, path, src, status, body)
			}
			continue
		}
		var it item.Item
		if status != 200 || json.Unmarshal(body, &it) != nil || it.Title != s.Title || it.Summary != s.Summary ||
			!strings.Contains(it.Body, s.tok) || it.Status != item.StatusPublished {
			t.Fatalf("round %d: GET %s (source %s allowed at %q): %d %s", round, path, src, s.Title, status, body)
		}
	}
	for src, s := range x.allowed {
		r := p.searchFor(t, s.tok, x, round)
		if r.Total != 1 || len(r.Hits) != 1 || r.Hits[0].ID != x.docOf[src] || r.Hits[0].Title != s.Title {
			t.Fatalf("round %d: search for %s (allowed %s, document %s): %+v", round, s.tok, src, x.docOf[src], r)
		}
	}
	// Every item with a portal document that is not allowed now: the
	// revision its copy last showed is not found. (checkIndexes has shown
	// that no other revision's token is in the index at all.)
	for src, docID := range x.docOf {
		if x.allowed[src] != nil {
			continue
		}
		d, ok := x.doc[src]
		if !ok {
			continue
		}
		tok := x.tk.byRev[revKey{src, d.Source.Revision}]
		if r := p.searchFor(t, tok, x, round); r.Total != 0 {
			t.Fatalf("round %d: search for %s (%s, not allowed, document %s) finds %+v", round, tok, src, docID, r)
		}
	}
	if r := p.searchFor(t, "涉密", x, round); r.Total != 0 {
		t.Fatalf("round %d: search for the classified marker finds %+v", round, r)
	}
}
