package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"zhengwu/cms/media"
	"zhengwu/officeapi/archive"
	"zhengwu/shared/store"
)

// The archive as the server runs it: the demo's finished documents are
// archived, their parts in the media store; a byte changed in a stored
// part, straight in the database, fails the fixity check.
func TestArchiveFixityOnTheMediaStore(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole server with demo data")
	}
	srv, _ := matrixServer(t)
	ctx := context.Background()
	p := srv.parts
	as := func(username string) string {
		pr, err := p.identity.PrincipalByUsername(ctx, username)
		if err != nil {
			t.Fatal(err)
		}
		tok, _, err := p.tokens.Issue(*pr, "archive-test-"+username)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	archivist := as("archivist")
	status, _, body := matrixDo(t, srv, "GET", "/api/office/v1/archive/records", archivist, nil)
	var page archive.Page
	if err := json.Unmarshal(body, &page); status != 200 || err != nil || len(page.Items) != 4 { // two sealed, two imported
		t.Fatalf("the catalogue: %d %s", status, body)
	}
	sealed := slices.IndexFunc(page.Items, func(s archive.Summary) bool { return s.Direction != archive.DirectionImported })
	id := page.Items[sealed].ID
	status, _, body = matrixDo(t, srv, "GET", "/api/office/v1/archive/records/"+id, archivist, nil)
	var rec archive.View
	if err := json.Unmarshal(body, &rec); status != 200 || err != nil {
		t.Fatalf("the record: %d %s", status, body)
	}
	checkArchivedDocumentSearch(t, srv, rec.Document, id)
	pdf := rec.Document.Parts[slices.IndexFunc(rec.Document.Parts, func(p archive.Part) bool { return p.Kind == archive.PartPDF })]
	if pdf.Media != pdf.SHA256 {
		t.Fatalf("the media store is content-addressed: %s stored as %s", pdf.SHA256, pdf.Media)
	}
	// A part downloads through the media store for the record's readers alone.
	if status, ct, body := matrixDo(t, srv, "GET", "/api/portal/v1/media/"+pdf.Media, archivist, nil); status != 200 || ct != "application/pdf" {
		t.Fatalf("the archivist downloads the PDF: %d %s %.200s", status, ct, body)
	}
	if status, _, body := matrixDo(t, srv, "GET", "/api/portal/v1/media/"+pdf.Media, as("auditor"), nil); status < 400 {
		t.Fatalf("the auditor, no reader of the record, downloads its PDF: %d %.200s", status, body)
	}
	check := func() archive.View {
		t.Helper()
		status, _, body := matrixDo(t, srv, "POST", "/api/office/v1/archive/records/"+id+"/fixity", archivist, nil)
		var v archive.View
		if err := json.Unmarshal(body, &v); status != 200 || err != nil {
			t.Fatalf("fixity: %d %s", status, body)
		}
		return v
	}
	if v := check(); v.Document.Fixity != archive.FixityIntact {
		t.Fatalf("untouched: %+v", v.Document.Events)
	}
	// One byte of the PDF's first chunk, changed in the database.
	chunk := fmt.Sprintf("%s/%06d", pdf.Media, 0)
	d, err := p.store.Get(ctx, media.ChunksCollection, chunk)
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Data []byte `json:"data"`
	}
	if err := d.Decode(&c); err != nil {
		t.Fatal(err)
	}
	c.Data[len(c.Data)/2] ^= 0x20
	if _, err := store.Save(ctx, p.store, media.ChunksCollection, chunk, c, d.Version); err != nil {
		t.Fatal(err)
	}
	v := check()
	last := v.Document.Events[len(v.Document.Events)-1]
	if v.Document.Fixity != archive.FixityBroken || !slices.Equal(last.Failed, []string{pdf.Name}) {
		t.Fatalf("a changed byte passed: %s %+v", v.Document.Fixity, last)
	}
	// The package refuses it; the catalogue shows it.
	if status, _, body := matrixDo(t, srv, "POST", "/api/office/v1/archive/export", archivist, json.RawMessage(`{"ids":["`+id+`"]}`)); status != 409 {
		t.Fatalf("export of a broken record: %d %s", status, body)
	}
}
