package main

import (
	"bytes"
	"context"
	"io"

	"zhengwu/cms/media"
	"zhengwu/officeapi/records"
)

// archiveFiles keeps the archive's parts in the media store
// (archive.Files): content-addressed, so a part's media id is its SHA-256
// when stored, and the fixity check reads the bytes back from the blobs.
type archiveFiles struct{ files *media.Service }

func (f archiveFiles) Put(ctx context.Context, a records.Actor, name string, data []byte) (string, error) {
	rec, _, err := f.files.Add(ctx, media.Upload{Name: name, Content: bytes.NewReader(data), Actor: a.P.UserID, ActorIP: a.IP})
	return rec.ID, err
}

func (f archiveFiles) Get(ctx context.Context, id string) (string, []byte, error) {
	rec, err := f.files.Get(ctx, id)
	if err != nil {
		return "", nil, err
	}
	b, err := f.files.Open(ctx, rec)
	if err != nil {
		return "", nil, err
	}
	defer b.Close()
	data, err := io.ReadAll(b)
	return rec.Name, data, err
}
