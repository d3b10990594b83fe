package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
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

// FileText is the text of one attachment, under its file name.
type FileText struct {
	Name string
	Text string
}

// Refusal is an attachment whose text is not in the index, and why, in
// words an editor acts on (Reason, Chinese). Cause is the metric's label.
type Refusal struct {
	MediaID string `json:"mediaId"`
	Name    string `json:"name"`
	Reason  string `json:"reason"`
	Cause   string `json:"cause"`
}

// Attachments is what ReadAttachments made of a document's files: the
// text of each file read, and each file not read with the reason.
type Attachments struct {
	Files   []FileText
	Refused []Refusal
}

// ReadAttachments reads the text of each of files through m: PDF
// (including files protected only by an owner password), DOCX, XLSX and
// plain text. lim.MaxText bounds the text of all of them together, the
// other limits each file (zero fields: DefaultLimits). A file that cannot
// be read — unknown type, missing, broken, over the limits, locked with
// an opening password, or without any text — is in Refused with the
// reason (and counted by zhengwu_search_attachment_refused_total): one
// bad file keeps neither its document nor the other files out of the
// index. log says which document the files belong to. With a nil m,
// nothing is read and nothing refused.
func ReadAttachments(m Media, files []File, lim Limits, log *slog.Logger) Attachments {
	var out Attachments
	if m == nil {
		return out
	}
	if log == nil {
		log = slog.Default()
	}
	lim = lim.orDefaults()
	budget := lim.MaxText
	refuse := func(f File, cause string, err error) {
		r := Refusal{MediaID: f.MediaID, Name: f.Name, Cause: cause, Reason: reasonOf(cause, f, lim)}
		out.Refused = append(out.Refused, r)
		refusals.WithLabelValues(cause).Inc()
		if err != nil {
			log.Warn("attachment text not extracted; reported on the document", "media", f.MediaID, "name", f.Name, "cause", cause, "err", err)
		}
	}
	for _, f := range files {
		kind := KindOf(f.Type, f.Name)
		switch {
		case kind == "":
			refuse(f, CauseUnsupported, nil)
			continue
		case budget <= 0:
			refuse(f, CauseTextBudget, nil)
			continue
		}
		one := lim
		one.MaxText = budget
		text, err := extractFile(m, f.MediaID, kind, one)
		if err != nil {
			refuse(f, causeOf(err), err)
			continue
		}
		if text = strings.TrimSpace(text); text == "" {
			refuse(f, CauseNoText, nil)
			continue
		}
		out.Files = append(out.Files, FileText{Name: f.Name, Text: text})
		budget -= len(text)
	}
	return out
}

// Causes of a refusal (the metric's label).
const (
	CauseUnsupported = "unsupported"
	CauseMissing     = "missing"
	CausePassword    = "password"
	CauseTooLarge    = "too_large"
	CauseOverBudget  = "over_budget"
	CauseTextBudget  = "text_budget"
	CauseNoText      = "no_text"
	CauseBroken      = "broken"
	CauseCancelled   = "cancelled"
)

func causeOf(err error) string {
	var open openError
	switch {
	case errors.As(err, &open):
		return CauseMissing
	case errors.Is(err, ErrPassword):
		return CausePassword
	case errors.Is(err, ErrTooLarge):
		return CauseTooLarge
	case errors.Is(err, ErrOverBudget):
		return CauseOverBudget
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return CauseCancelled
	}
	return CauseBroken
}

// reasonOf says in Chinese why f was not read, and what would help.
func reasonOf(cause string, f File, lim Limits) string {
	switch cause {
	case CauseUnsupported:
		ext := strings.ToLower(path.Ext(f.Name))
		if ext == "" {
			ext = "未知类型"
		}
		return "不支持读取此类文件（" + ext + "），只能读取 PDF、DOCX、XLSX 和 TXT 文件的文字"
	case CauseMissing:
		return "文件无法打开（可能已被删除）"
	case CausePassword:
		return "文件设有打开密码，无法读取文字；请上传未加密的文件"
	case CauseTooLarge:
		return fmt.Sprintf("文件超过 %d MB，未读取文字", lim.MaxFile>>20)
	case CauseOverBudget:
		return "文件过于复杂，读取超出内存或时间限制"
	case CauseTextBudget:
		return fmt.Sprintf("本条信息的附件文字已达 %d KB 上限，此文件未读取", lim.MaxText>>10)
	case CauseNoText:
		return "文件中没有可读取的文字（可能是扫描图片），请同时提供文字版"
	case CauseCancelled:
		return "读取超时，将在下次更新时重试"
	}
	return "文件已损坏或格式无法识别"
}

// openError: the media store could not give the file's bytes.
type openError struct{ err error }

func (e openError) Error() string { return e.err.Error() }
func (e openError) Unwrap() error { return e.err }

// refusals counts the attachments left out of the index, by cause.
var refusals = prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "zhengwu_search_attachment_refused_total",
	Help: "Attachments whose text was not indexed, by cause (unsupported, missing, password, too_large, over_budget, text_budget, no_text, broken, cancelled); each is reported on its document.",
}, []string{"cause"})

func extractFile(m Media, mediaID, kind string, lim Limits) (string, error) {
	// This deadline bounds opening and reading the media; Extract bounds
	// the extraction itself (lim.Timeout, from when a worker takes it).
	ctx, cancel := context.WithTimeout(context.Background(), lim.Timeout)
	defer cancel()
	rc, err := m.Open(ctx, mediaID)
	if err != nil {
		return "", openError{err}
	}
	defer rc.Close()
	return Extract(context.WithoutCancel(ctx), kind, rc, lim)
}
