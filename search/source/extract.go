package source

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// Attachment kinds whose text is extracted.
const (
	KindPDF  = "pdf"
	KindDOCX = "docx"
)

// Limits bound the extraction of one item's attachments.
type Limits struct {
	MaxText int           // bytes of text kept (over all attachments of an item)
	MaxFile int64         // bytes of a file read; a larger file is skipped
	Timeout time.Duration // per file
}

// DefaultLimits: 200 KB of text, files up to 50 MB, 10 s per file.
var DefaultLimits = Limits{MaxText: 200 << 10, MaxFile: 50 << 20, Timeout: 10 * time.Second}

// KindOf tells from the MIME type (or, failing that, the file name)
// whether an attachment is a PDF or a DOCX; "" for anything else.
func KindOf(mime, name string) string {
	switch strings.ToLower(strings.TrimSpace(strings.SplitN(mime, ";", 2)[0])) {
	case "application/pdf":
		return KindPDF
	case "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
		return KindDOCX
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".pdf":
		return KindPDF
	case ".docx":
		return KindDOCX
	}
	return ""
}

// ErrTooLarge: the file is larger than Limits.MaxFile.
var ErrTooLarge = errors.New("source: attachment too large to extract")

// Extract returns the plain text of a PDF or DOCX read from r, at most
// lim.MaxText bytes (cut at a character boundary). It stops with ctx's
// error when ctx ends.
func Extract(ctx context.Context, kind string, r io.Reader, lim Limits) (string, error) {
	if lim.MaxFile <= 0 {
		lim.MaxFile = DefaultLimits.MaxFile
	}
	if lim.MaxText <= 0 {
		lim.MaxText = DefaultLimits.MaxText
	}
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxFile+1))
	if err != nil {
		return "", err
	}
	if int64(len(data)) > lim.MaxFile {
		return "", ErrTooLarge
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	out := &textBuf{max: lim.MaxText}
	switch kind {
	case KindDOCX:
		err = docxText(ctx, data, out)
	case KindPDF:
		err = pdfText(ctx, data, out)
	default:
		return "", fmt.Errorf("source: cannot extract text from %q", kind)
	}
	if errors.Is(err, errFull) {
		err = nil
	}
	return out.String(), err
}

// errFull stops an extraction once the text budget is spent.
var errFull = errors.New("text budget spent")

type textBuf struct {
	b   strings.Builder
	max int
}

func (t *textBuf) WriteString(s string) error {
	if room := t.max - t.b.Len(); len(s) > room {
		for room > 0 && !utf8.RuneStart(s[room]) {
			room--
		}
		t.b.WriteString(s[:room])
		return errFull
	}
	t.b.WriteString(s)
	return nil
}

func (t *textBuf) String() string { return t.b.String() }

// docxText reads word/document.xml: the text runs (w:t), tabs and
// paragraph ends.
func docxText(ctx context.Context, data []byte, out *textBuf) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	var f *zip.File
	for _, zf := range zr.File {
		if zf.Name == "word/document.xml" {
			f = zf
		}
	}
	if f == nil {
		return errors.New("docx: no word/document.xml")
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	defer rc.Close()
	// The XML may decompress to far more than the file: bound what is read.
	dec := xml.NewDecoder(io.LimitReader(rc, 64<<20))
	inText := false
	for n := 0; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("docx: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				err = out.WriteString("\t")
			case "br", "cr":
				err = out.WriteString("\n")
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				err = out.WriteString("\n")
			}
		case xml.CharData:
			if inText {
				err = out.WriteString(string(t))
			}
		}
		if err != nil {
			return err
		}
	}
}
