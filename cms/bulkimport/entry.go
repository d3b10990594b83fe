// Package bulkimport turns an old site's content — a folder of files
// (DOCX, PDF, HTML, TXT) or a CSV/JSON export of its CMS — into portal
// documents, through the content service's own calls (content.BulkImport:
// the account's rights, validation, the shared sanitiser, editions, audit)
// and the media service for the files kept as attachments. `zhengwu
// import` is its command; docs/operations.md (批量导入) its manual.
//
// Reading (folder.go, export.go) makes Entries; Run (run.go) checks and
// imports them one by one, each on its own: one refused entry stops
// nothing else, and the Report (report.go) lists every refusal with the
// field the API's problems would name.
package bulkimport

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"zhengwu/cms/content"
	"zhengwu/shared/problem"
)

// Entry is one item to import, as read from the source.
type Entry struct {
	// Origin names it in the source: a file's path relative to the
	// folder, or "export.csv 第 12 行".
	Origin string
	// Key identifies it across runs (see keyOf): a rerun of the same
	// export finds it imported.
	Key        string
	Type       string
	Channel    string // a channel key or name; "" takes the run's default
	Department string // "" takes the run's default, then the channel's
	Fields     content.Fields
	// PublishedAt is the old site's publication date, if known.
	PublishedAt *time.Time
	// BodyFile is a file whose text becomes the body (a DOCX, PDF or TXT
	// of a folder); it is also attached.
	BodyFile string
	// Files are attached (absolute paths), BodyFile first when set.
	Files []string
	// Refusals are what reading found wrong already (a missing
	// attachment, a date that is not one); a refused entry is not sent.
	Refusals []problem.FieldError
}

func (e *Entry) refuse(field, zh, en string) {
	e.Refusals = append(e.Refusals, problem.Field(field, zh, en))
}

// keyOf is a stable key from the parts that identify an item: the same
// parts give the same key in every run, wherever the export lies.
func keyOf(kind string, parts ...string) string {
	h := sha256.New()
	h.Write([]byte(kind))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(strings.TrimSpace(p)))
	}
	return kind + "-" + hex.EncodeToString(h.Sum(nil))[:40]
}
