package main

import (
	"bytes"
	"context"
	"net/http"

	"zhengwu/cms/media"
	"zhengwu/officeapi/layout"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/print"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// printFiles is the media store as the print room uses it: a document's
// file stored (as an upload by the system), a job's file opened.
type printFiles struct{ m *media.Service }

func (f printFiles) Add(ctx context.Context, actor, name string, data []byte) (string, error) {
	rec, _, err := f.m.Add(ctx, media.Upload{Name: name, Content: bytes.NewReader(data), Actor: actor, ActorIP: "local"})
	return rec.ID, err
}

func (f printFiles) Open(ctx context.Context, id string) (print.File, error) {
	rec, err := f.m.Get(ctx, id)
	if err != nil {
		return print.File{}, err
	}
	b, err := f.m.Open(ctx, rec)
	if err != nil {
		return print.File{}, err
	}
	return print.File{Name: rec.Name, Type: rec.Type, Size: rec.Size, UploadedBy: rec.CreatedBy, Body: b}, nil
}

// printedFile is the file the print room prints for document id: its GB/T
// 9704 layout, sealed by its unit's electronic seal when the document is
// sealed (a 纪要 and a document marked unsealed carry none). The system
// seals: the 印制 node is the seal's only caller, and the audit entry names
// the document.
func printedFile(p *parts) func(ctx context.Context, id string) ([]byte, error) {
	system := records.Actor{P: &auth.Principal{UserID: "system", Name: "系统"}, IP: "local"}
	return func(ctx context.Context, id string) ([]byte, error) {
		d, _, err := store.Load[officialdoc.Document](ctx, p.store, officialdoc.Collection, id)
		if err != nil {
			return nil, err
		}
		atts, err := p.documentFiles(ctx, nil, d.Attachments)
		if err != nil {
			return nil, err
		}
		if !d.Sealed || d.DocType == "纪要" {
			return layout.RenderWith(d, p.fonts, layout.Options{Attachments: atts})
		}
		return p.seal.SealDocument(ctx, system, d.Unit, d, func(o layout.Options) ([]byte, error) {
			o.Attachments = atts
			return layout.RenderWith(d, p.fonts, o)
		})
	}
}

// archivedFile is the PDF an archive record keeps: the file the print room
// printed, sealed, when there is one — what was issued, not a new
// rendering under a new seal. A document never printed (收文, or finished
// before the print room had its job) is laid out now: an outgoing one
// sealed as printedFile seals it, an incoming one unsealed (its seal is
// the sender's, not this unit's).
func archivedFile(p *parts) func(ctx context.Context, a records.Actor, d officialdoc.Document) ([]byte, error) {
	// The archive reads the print job as the process: whoever archives
	// holds the document's 归档 task or archive.manage, not the print room's
	// right.
	archiver := &auth.Principal{UserID: "system", Name: "系统", Clearance: classification.Juemi,
		Perms: map[string][]string{auth.PermPrintOperate.Key(): {auth.OfficeWide}}}
	render := printedFile(p)
	return func(ctx context.Context, _ records.Actor, d officialdoc.Document) ([]byte, error) {
		b, err := p.print.SealedFile(ctx, archiver, d.ID)
		if err == nil {
			return b, nil
		}
		if pr := problem.As(err); pr == nil || pr.Status != http.StatusNotFound {
			return nil, err
		}
		if d.Direction != "outgoing" {
			return layout.Render(d, p.fonts)
		}
		return render(ctx, d.ID)
	}
}
