package media

import (
	"archive/zip"
	"image"
	_ "image/gif" // decoders for DecodeConfig and thumbnails
	_ "image/jpeg"
	_ "image/png"
	"io"
	"strings"

	"github.com/gabriel-vasile/mimetype"
	_ "golang.org/x/image/webp"
)

// Media types stored, all of them sniffed from the content, never taken
// from the client's file name or header.
const (
	TypePDF  = "application/pdf"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	TypeDOC  = "application/msword"
	TypeXLS  = "application/vnd.ms-excel"
	TypeOFD  = "application/ofd"
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
	TypeGIF  = "image/gif"
	TypeWebP = "image/webp"
	TypeMP4  = "video/mp4"
	TypeWebM = "video/webm" // video on demand (officeapi/video)
	TypeMP3  = "audio/mpeg"
	TypeText = "text/plain; charset=utf-8"
	// TypeTextOther is text in an encoding other than UTF-8.
	TypeTextOther = "text/plain"
	TypeZIP       = "application/zip"
)

// exactTypes are the types the detector names as stored, each served as
// detected; text and zip-based formats need a second look (sniff).
var exactTypes = []string{TypePDF, TypeDOC, TypeXLS, TypeJPEG, TypePNG, TypeGIF, TypeWebP, TypeMP4, TypeWebM, TypeMP3}

// sniffLimit is how many leading bytes the detector reads.
const sniffLimit = 3072

// sniff returns the allowed media type of the content, or "" when the
// content is of a type the portal refuses (HTML, SVG, scripts,
// executables, anything unrecognised). r must cover the whole content:
// zip-based formats are told apart by their entries.
func sniff(r io.ReaderAt, size int64) string {
	head := make([]byte, min(size, sniffLimit))
	if _, err := r.ReadAt(head, 0); err != nil && err != io.EOF {
		return ""
	}
	m := mimetype.Detect(head)
	for _, typ := range exactTypes {
		if m.Is(typ) {
			return typ
		}
	}
	switch {
	case m.Is("application/json"):
		// JSON is UTF-8 text (RFC 8259), served as such: the archive keeps
		// a 公文's record, revisions and flow log as JSON parts.
		return TypeText
	case m.Is("text/plain"):
		// UTF-8 (or ASCII) text is served as such. Text in another
		// encoding (GBK is common in government files; the detector calls
		// it iso-8859-1) is served without a charset, as a download.
		if cs := m.String(); strings.Contains(cs, "charset=utf-8") || !strings.Contains(cs, "charset=") {
			return TypeText
		}
		return TypeTextOther
	case m.Is(TypeDOCX), m.Is(TypeXLSX), m.Is(TypePPTX), m.Is(TypeZIP):
		// The detector sees only the first entries; read the central
		// directory (never decompressing anything) to be sure.
		return zipKind(r, size)
	}
	return ""
}

// zipKind classifies a zip archive by its entries: OFD (OFD.xml at the
// root, GB/T 33190), an OOXML document, or a plain zip. A zip that does
// not open is refused.
func zipKind(r io.ReaderAt, size int64) string {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return ""
	}
	has := map[string]bool{}
	for _, f := range zr.File {
		has[f.Name] = true
	}
	switch {
	case has["OFD.xml"]:
		return TypeOFD
	case has["[Content_Types].xml"] && has["word/document.xml"]:
		return TypeDOCX
	case has["[Content_Types].xml"] && has["xl/workbook.xml"]:
		return TypeXLSX
	case has["[Content_Types].xml"] && has["ppt/presentation.xml"]:
		return TypePPTX
	case has["META-INF/MANIFEST.MF"] || has["AndroidManifest.xml"] || has["classes.dex"]:
		return "" // jar and apk: executables in a zip's clothing
	}
	return TypeZIP
}

// isImage reports whether thumbnails can be made of the type.
func isImage(typ string) bool {
	switch typ {
	case TypeJPEG, TypePNG, TypeGIF, TypeWebP:
		return true
	}
	return false
}

// Inline reports whether browsers should show the type in place rather
// than download it.
func Inline(typ string) bool {
	return isImage(typ) || typ == TypePDF || typ == TypeMP4 || typ == TypeWebM || typ == TypeMP3
}

// Image limits: a decoded image costs width×height×4 bytes, so a small
// file declaring huge dimensions (a decompression bomb) is refused from
// its header before any pixel is decoded.
const (
	MaxImageSide   = 12000
	MaxImagePixels = 50_000_000
)

// imageConfig reads an image's header only.
func imageConfig(r io.Reader) (image.Config, string, error) {
	return image.DecodeConfig(r)
}

// imageTooLarge reports whether the dimensions exceed the limits.
func imageTooLarge(c image.Config) bool {
	return c.Width <= 0 || c.Height <= 0 || c.Width > MaxImageSide || c.Height > MaxImageSide ||
		int64(c.Width)*int64(c.Height) > MaxImagePixels
}
