package bulkimport

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/encoding/simplifiedchinese"

	"zhengwu/cms/channel"
)

// fileKinds are the files a folder import reads: their text (DOCX, PDF,
// TXT, through search/source's readers) or their markup (HTML, through
// the shared sanitiser) becomes the body.
var fileKinds = []string{".docx", ".pdf", ".txt", ".html", ".htm"}

// ReadFolder makes one article entry per file under dir (recursively, in
// path order), titled after the file (an HTML page after its <title>).
// Hidden files are skipped; any other kind of file is a refused entry.
// An entry's key is the digest of the file's bytes, so the same file
// imports once however the folder is moved or renamed.
func ReadFolder(dir string) ([]Entry, error) {
	files, err := FolderFiles(dir)
	out := make([]Entry, 0, len(files))
	for _, f := range files {
		out = append(out, fileEntry(f.Path, f.Rel))
	}
	return out, err
}

// FolderFile is a file a folder import reads.
type FolderFile struct {
	Path string // as opened
	Rel  string // relative to the folder, with slashes: its origin
}

// FolderFiles lists the regular files under dir, recursively, in path
// order, hidden files and folders skipped.
func FolderFiles(dir string) ([]FolderFile, error) {
	var out []FolderFile
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && path != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		out = append(out, FolderFile{Path: path, Rel: filepath.ToSlash(rel)})
		return nil
	})
	return out, err
}

// Supported reports whether a folder import reads the file's kind
// (DOCX, PDF, HTML, TXT).
func Supported(path string) bool {
	return slices.Contains(fileKinds, strings.ToLower(filepath.Ext(path)))
}

// TitleOf is the title a folder import gives a file: an HTML page's
// <title> (else its first <h1>), else the file's name.
func TitleOf(path string, data []byte) string {
	if ext := strings.ToLower(filepath.Ext(path)); ext == ".html" || ext == ".htm" {
		if title, _ := htmlParts(decodeText(data)); title != "" {
			return title
		}
	}
	return strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
}

// KeyOf is a stable key of an item's identifying parts (keyOf).
func KeyOf(kind string, parts ...string) string { return keyOf(kind, parts...) }

func fileEntry(path, rel string) Entry {
	ext := strings.ToLower(filepath.Ext(path))
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	e := Entry{Origin: rel, Type: channel.TypeArticle, Key: keyOf("file", rel)}
	if !slices.Contains(fileKinds, ext) {
		e.refuse("file", "不支持的文件类型（仅 DOCX、PDF、HTML、TXT）", "unsupported file type (DOCX, PDF, HTML and TXT only)")
		return e
	}
	data, err := os.ReadFile(path)
	if err != nil {
		e.refuse("file", "文件无法读取", "the file cannot be read")
		return e
	}
	sum := sha256.Sum256(data)
	e.Key = keyOf("file", hex.EncodeToString(sum[:]))
	e.Fields.Title = name
	if ext == ".html" || ext == ".htm" {
		title, body := htmlParts(decodeText(data))
		if title != "" {
			e.Fields.Title = title
		}
		e.Fields.Body = body
		if strings.TrimSpace(body) == "" {
			e.refuse("fields.body", "网页没有正文", "the page has no body")
		}
		return e
	}
	e.BodyFile = path
	e.Files = []string{path}
	return e
}

// decodeText reads UTF-8 (with or without a byte order mark) or, failing
// that, GB18030 — what Chinese Windows writes.
func decodeText(data []byte) string {
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if utf8.Valid(data) {
		return string(data)
	}
	if s, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data); err == nil {
		return string(s)
	}
	return strings.ToValidUTF8(string(data), "")
}

// htmlParts finds a page's title (<title>, else its first <h1>) and the
// markup inside <body>; the content service sanitises that body.
func htmlParts(page string) (title, body string) {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return "", ""
	}
	var h1 string
	var h1Node, bodyNode *html.Node
	for n := range doc.Descendants() {
		switch {
		case n.Type != html.ElementNode:
		case n.DataAtom == atom.Title && title == "":
			title = strings.TrimSpace(textOf(n))
		case n.DataAtom == atom.H1 && h1Node == nil:
			h1, h1Node = strings.TrimSpace(textOf(n)), n
		case n.DataAtom == atom.Body && bodyNode == nil:
			bodyNode = n
		}
	}
	if title == "" {
		title = h1
	}
	if bodyNode == nil {
		return title, ""
	}
	if h1Node != nil && h1 == title && h1Node.Parent != nil {
		// The page's heading is the item's title: the portal shows it
		// above the body already.
		h1Node.Parent.RemoveChild(h1Node)
	}
	var b strings.Builder
	for c := bodyNode.FirstChild; c != nil; c = c.NextSibling {
		_ = html.Render(&b, c)
	}
	return strings.Join(strings.Fields(title), " "), b.String()
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}
