package assistant

import (
	"strings"
	"sync"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// surnames are the surnames whose reading differs from their characters'
// most common one (单 is shàn as a surname, not dān), compound surnames
// first so that 单于 is not read as 单 then 于.
var surnames = []struct{ hans, reading string }{
	{"万俟", "mo qi"}, {"尉迟", "yu chi"}, {"长孙", "zhang sun"}, {"单于", "chan yu"}, {"澹台", "tan tai"},
	{"单", "shan"}, {"曾", "zeng"}, {"解", "xie"}, {"仇", "qiu"}, {"区", "ou"}, {"查", "zha"},
	{"朴", "piao"}, {"覃", "qin"}, {"乐", "yue"}, {"种", "chong"}, {"盖", "ge"}, {"繁", "po"},
	{"召", "shao"}, {"秘", "bi"}, {"员", "yun"}, {"缪", "miao"}, {"翟", "zhai"}, {"句", "gou"},
	{"宿", "su"}, {"过", "guo"}, {"任", "ren"}, {"华", "hua"}, {"燕", "yan"}, {"纪", "ji"},
	{"沈", "shen"}, {"柏", "bai"}, {"薄", "bo"}, {"祭", "zhai"}, {"隗", "wei"}, {"尉", "yu"},
}

// reading is how a name is said and typed: its syllables (the surname's
// as a surname), and, where the surname has one, the syllables a person
// typing the everyday reading of its characters would type, so that both
// find the name.
type reading struct {
	Syllables []string // "shan", "li", "ping"
	Common    []string // "dan", "li", "ping"; nil when the same
}

// Full is the syllables run together ("shanliping"), Initials their first
// letters ("slp").
func (r reading) Full() string     { return strings.Join(r.Syllables, "") }
func (r reading) Initials() string { return initials(r.Syllables) }

func initials(syl []string) string {
	var b strings.Builder
	for _, s := range syl {
		if s != "" {
			b.WriteByte(s[0])
		}
	}
	return b.String()
}

// pinyinCache keeps each name's reading: names repeat on every request.
type pinyinCache struct {
	mu sync.Mutex
	m  map[string]reading
}

func newPinyinCache() *pinyinCache { return &pinyinCache{m: map[string]reading{}} }

// name is the reading of a person's name.
func (c *pinyinCache) name(s string) reading {
	c.mu.Lock()
	r, ok := c.m[s]
	c.mu.Unlock()
	if ok {
		return r
	}
	r = readName(s)
	c.mu.Lock()
	c.m[s] = r
	c.mu.Unlock()
	return r
}

// readName reads a name: the surname as a surname, the given name by
// each character's most common reading; letters and digits as they are.
func readName(name string) reading {
	common := syllables(name)
	for _, sn := range surnames {
		if rest, ok := strings.CutPrefix(name, sn.hans); ok {
			r := reading{Syllables: append(strings.Fields(sn.reading), syllables(rest)...)}
			if strings.Join(r.Syllables, "") != strings.Join(common, "") {
				r.Common = common
			}
			return r
		}
	}
	return reading{Syllables: common}
}

var args = pinyin.NewArgs() // plain syllables, no tones, one reading each

// syllables are the pinyin of s, characters without one (Latin letters,
// digits) kept as lower-case runs.
func syllables(s string) []string {
	var out []string
	var run strings.Builder
	flush := func() {
		if run.Len() > 0 {
			out = append(out, strings.ToLower(run.String()))
			run.Reset()
		}
	}
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			flush()
			if p := pinyin.SinglePinyin(r, args); len(p) > 0 {
				out = append(out, p[0])
			}
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			run.WriteRune(r)
		} else {
			flush()
		}
	}
	flush()
	return out
}
