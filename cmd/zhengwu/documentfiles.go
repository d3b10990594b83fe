package main

import (
	"context"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"zhengwu/cms/media"
	"zhengwu/officeapi/layout"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// maxAttachmentText is the largest text file a 公文's printed form lays
// out as its 附件's pages (larger ones are named, not printed).
const maxAttachmentText = 256 << 10

// documentFiles reads a 公文's attachments for its printed form
// (officialdochttp.Files) from the media store, as the reader may read
// them: each file's name without its extension as its title, and a plain
// text file's text. A file the reader may not read keeps its place as
// 附件N, its name withheld. A nil reader is the process itself, laying out
// the file the print room prints (every attachment is part of it).
func (p *parts) documentFiles(ctx context.Context, reader *auth.Principal, ids []string) ([]layout.Attachment, error) {
	out := make([]layout.Attachment, len(ids))
	for i, id := range ids {
		var rec media.Record
		var err error
		if reader == nil {
			rec, err = p.files.Get(ctx, id)
		} else {
			rec, _, err = p.files.Readable(ctx, id, reader)
		}
		if pe := problem.As(err); pe != nil && pe.Status == 404 {
			out[i] = layout.Attachment{Title: "附件" + strconv.Itoa(i+1)}
			continue
		}
		if err != nil {
			return nil, err
		}
		a := layout.Attachment{Title: strings.TrimSuffix(rec.Name, filepath.Ext(rec.Name)), File: rec.Name}
		if strings.HasPrefix(rec.Type, "text/plain") && rec.Size <= maxAttachmentText {
			blob, err := p.files.Open(ctx, rec)
			if err != nil {
				return nil, err
			}
			data, err := io.ReadAll(io.LimitReader(blob, maxAttachmentText))
			blob.Close()
			if err != nil {
				return nil, err
			}
			if utf8.Valid(data) {
				a.Text = string(data)
			}
		}
		out[i] = a
	}
	return out, nil
}
