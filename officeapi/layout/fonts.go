package layout

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/tdewolff/canvas"
	"github.com/tdewolff/font"
)

// FontFile is a font on disk: a TrueType (.ttf) or OpenType (.otf) file,
// or one face (Index) of a collection (.ttc).
type FontFile struct {
	Path  string `json:"path"`
	Index int    `json:"index,omitempty"`
}

// Fonts are the files that stand for GB/T 9704's typefaces. An office that
// holds licences for the standard's own fonts points them here (方正小标宋简体
// as XiaoBiaoSong, 仿宋_GB2312 as FangSong, 黑体 and 楷体_GB2312); SystemFonts
// gives the stand-ins a Debian machine has.
type Fonts struct {
	XiaoBiaoSong FontFile `json:"xiaoBiaoSong"` // 小标宋: 发文机关标志, 标题
	Hei          FontFile `json:"hei"`          // 黑体: 密级, 紧急程度, first-level headings
	Kai          FontFile `json:"kai"`          // 楷体: second-level headings, 签发人's name
	FangSong     FontFile `json:"fangSong"`     // 仿宋: 正文 and everything else
	Song         FontFile `json:"song"`         // 宋体: page numbers
}

// The Debian packages' files, in order of preference. Noto Serif/Sans CJK
// SC (fonts-noto-cjk) are not among them: they are CID-keyed CFF fonts
// with many font dicts, which the PDF writer cannot subset (embedding one
// whole is ≈ 16 MB a face), so a stand-in with TrueType outlines is used.
// fonts-cwtex-fs's 仿宋 lacks many simplified characters (关, 进, 务, 国, 发,
// …), so it is not a 仿宋 stand-in either.
var (
	songti   = FontFile{Path: "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"} // fonts-arphic-gbsn00lp: AR PL SungtiL GB
	kaiti    = FontFile{Path: "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"} // fonts-arphic-gkai00mp: AR PL KaitiM GB
	microHei = FontFile{Path: "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"}         // fonts-wqy-microhei: WenQuanYi Micro Hei
	zenHei   = FontFile{Path: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"}           // fonts-wqy-zenhei
)

// SystemFonts are the stand-ins found on this machine: AR PL SungtiL GB
// (a 宋体) for 小标宋, 仿宋 and 宋体, WenQuanYi Micro Hei (or Zen Hei) for 黑体,
// AR PL KaitiM GB for 楷体 (楷体 falls back to the 仿宋 stand-in when absent).
// A role whose candidates are all missing keeps the first candidate's path:
// Render then says which file is missing.
func SystemFonts() Fonts {
	first := func(c ...FontFile) FontFile {
		for _, f := range c {
			if _, err := os.Stat(f.Path); err == nil {
				return f
			}
		}
		return c[0]
	}
	return Fonts{XiaoBiaoSong: songti, Hei: first(microHei, zenHei), Kai: first(kaiti, songti), FangSong: songti, Song: songti}
}

// ErrFontMissing: a font file named in Fonts is not there.
var ErrFontMissing = errors.New("layout: font file missing")

// fontBytes keeps each file read once per process: a CJK font is several
// megabytes (parsed fonts are kept too: parsedFonts).
var fontBytes sync.Map // FontFile.Path → []byte

// load parses f for one rendering, checking that it covers Chinese and
// can be subset into the PDF.
func load(role string, f FontFile) (*canvas.FontFamily, error) {
	if f.Path == "" {
		return nil, fmt.Errorf("%w: no file for %s", ErrFontMissing, role)
	}
	b, ok := fontBytes.Load(f.Path)
	if !ok {
		data, err := os.ReadFile(f.Path)
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s (%s): install it or point the setting at another file", ErrFontMissing, f.Path, role)
		}
		if err != nil {
			return nil, fmt.Errorf("layout: font %s (%s): %w", f.Path, role, err)
		}
		b, _ = fontBytes.LoadOrStore(f.Path, data)
	}
	fam := canvas.NewFontFamily(role)
	if err := fam.LoadFont(b.([]byte), f.Index, canvas.FontRegular); err != nil {
		return nil, fmt.Errorf("layout: font %s (%s): %w", f.Path, role, err)
	}
	sfnt := fam.Face(16, canvas.Black).Font.SFNT
	gid := sfnt.GlyphIndex('国')
	if gid == 0 {
		return nil, fmt.Errorf("layout: font %s (%s) has no Chinese characters", f.Path, role)
	}
	if _, err := sfnt.Subset([]uint16{0, gid}, font.SubsetOptions{Tables: font.KeepPDFTables}); err != nil {
		return nil, fmt.Errorf("layout: font %s (%s) cannot be embedded in a PDF (%v): use a TrueType font", f.Path, role, err)
	}
	return fam, nil
}

// With is f with the files an office names by typeface (xiaobiaosong,
// hei, kai, fangsong, song: the --document-fonts setting), each a path
// with "#n" for the n-th face of a collection.
func (f Fonts) With(files map[string]string) (Fonts, error) {
	for role, file := range files {
		ff := FontFile{Path: file}
		if path, n, ok := strings.Cut(file, "#"); ok {
			i, err := strconv.Atoi(n)
			if err != nil || i < 0 {
				return Fonts{}, fmt.Errorf("layout: font %s: %q is not a face number", role, n)
			}
			ff = FontFile{Path: path, Index: i}
		}
		switch role {
		case "xiaobiaosong":
			f.XiaoBiaoSong = ff
		case "hei":
			f.Hei = ff
		case "kai":
			f.Kai = ff
		case "fangsong":
			f.FangSong = ff
		case "song":
			f.Song = ff
		default:
			return Fonts{}, fmt.Errorf("layout: no typeface %q (xiaobiaosong, hei, kai, fangsong, song)", role)
		}
	}
	return f, nil
}
