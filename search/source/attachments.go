package source

import (
	"context"
	"io"
	"log/slog"
	"strings"
)

// Media gives the bytes of an attachment. With cms/media:
//
//	source.MediaFunc(func(ctx context.Context, id string) (io.ReadCloser, error) {
//		rec, err := mediaSvc.Get(ctx, id)
//		if err != nil {
//			return nil, err
//		}
//		return mediaSvc.Open(ctx, rec)
//	})
type Media interface {
	Open(ctx context.Context, mediaID string) (io.ReadCloser, error)
}

// MediaFunc adapts a function to Media.
type MediaFunc func(ctx context.Context, mediaID string) (io.ReadCloser, error)

// Open calls f.
func (f MediaFunc) Open(ctx context.Context, mediaID string) (io.ReadCloser, error) {
	return f(ctx, mediaID)
}

// File is an attachment as extraction sees it: where its bytes are and
// what kind of file it is. A projection makes one from its own
// attachment type.
type File struct {
	MediaID string
	Name    string // the file name; its extension tells the kind when Type does not
	Type    string // MIME type
}

// AttachmentText is the text of the PDF and DOCX files among files, read
// through m and joined by newlines: lim.MaxText bounds the text of all of
// them together, the other limits each file (zero fields: DefaultLimits).
// A file that cannot be opened or extracted is logged and skipped: one
// broken attachment keeps neither its document nor the other files out
// of the index. log says which document the files belong to.
func AttachmentText(m Media, files []File, lim Limits, log *slog.Logger) string {
	if m == nil {
		return ""
	}
	if log == nil {
		log = slog.Default()
	}
	lim = lim.orDefaults()
	var parts []string
	budget := lim.MaxText
	for _, f := range files {
		kind := KindOf(f.Type, f.Name)
		if kind == "" || budget <= 0 {
			continue
		}
		one := lim
		one.MaxText = budget
		text, err := extractFile(m, f.MediaID, kind, one)
		if err != nil {
			log.Warn("attachment text not extracted; skipped", "media", f.MediaID, "name", f.Name, "err", err)
			continue
		}
		if text = strings.TrimSpace(text); text != "" {
			parts = append(parts, text)
			budget -= len(text)
		}
	}
	return strings.Join(parts, "\n")
}

func extractFile(m Media, mediaID, kind string, lim Limits) (string, error) {
	// This deadline bounds opening and reading the media; Extract bounds
	// the extraction itself (lim.Timeout, from when a worker takes it).
	ctx, cancel := context.WithTimeout(context.Background(), lim.Timeout)
	defer cancel()
	rc, err := m.Open(ctx, mediaID)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	return Extract(context.WithoutCancel(ctx), kind, rc, lim)
}
