package main

import (
	"bytes"
	"context"

	"zhengwu/cms/media"
	"zhengwu/officeapi/print"
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
