// Package richtext sanitises rich-text bodies (portal articles, office
// information items, forum posts: one policy for all) on write and
// extracts their plain text for search. The policy is an allow-list made
// for government articles: headings, paragraphs, lists, quotes, tables,
// links (http, https, mailto) and images served by the portal's own media
// API. Anything else — scripts, event handlers, styles, SVG, iframes,
// data: and javascript: URLs — is dropped.
package richtext

import (
	"regexp"
	"slices"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html/atom"

	xhtml "golang.org/x/net/html"
)

// MediaPrefix is the only place images may come from: the portal's media
// API, so that an article never makes a reader's browser fetch from an
// outside host.
const MediaPrefix = "/api/portal/v1/media/"

// mediaSrc matches a media URL: the prefix, then an id and optional
// sub-resource, with no scheme, host, query tricks or dot segments.
var mediaSrc = regexp.MustCompile(`^/api/portal/v1/media/[A-Za-z0-9_-]+(/thumbnail)?$`)

var policy = newPolicy()

func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "h2", "h3", "h4", "strong", "em", "u", "ul", "ol", "li",
		"blockquote", "table", "thead", "tbody", "tr", "th", "td", "br", "span")
	p.AllowAttrs("colspan", "rowspan").Matching(regexp.MustCompile(`^[0-9]{1,2}$`)).OnElements("th", "td")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.RequireNoFollowOnLinks(false)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	// Every link gets rel="noopener" in postProcess.
	p.AllowAttrs("src").Matching(mediaSrc).OnElements("img")
	p.AllowAttrs("alt").OnElements("img")
	return p
}

// Sanitize returns html with everything outside the allow-list removed.
// Links keep only http, https and mailto targets and get rel="noopener";
// images keep only portal media URLs (an image without one is dropped).
func Sanitize(s string) string {
	out := policy.Sanitize(s)
	return postProcess(out)
}

// postProcess drops images that lost their src, links that lost their
// href (keeping their text), and adds rel="noopener" to links. It works on
// bluemonday's output, which is already well-formed and safe, so
// re-rendering it cannot reintroduce anything.
func postProcess(s string) string {
	if !strings.Contains(s, "<a") && !strings.Contains(s, "<img") {
		return s
	}
	ctx := &xhtml.Node{Type: xhtml.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := xhtml.ParseFragment(strings.NewReader(s), ctx)
	if err != nil {
		return ""
	}
	for _, n := range nodes {
		ctx.AppendChild(n)
	}
	fix(ctx)
	var b strings.Builder
	for n := ctx.FirstChild; n != nil; n = n.NextSibling {
		if err := xhtml.Render(&b, n); err != nil {
			return ""
		}
	}
	return b.String()
}

func fix(n *xhtml.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == xhtml.ElementNode {
			switch c.DataAtom {
			case atom.Img:
				if attr(c, "src") == "" {
					n.RemoveChild(c)
					c = next
					continue
				}
			case atom.A:
				if attr(c, "href") == "" {
					// Unwrap: keep the text, drop the dead link.
					for gc := c.FirstChild; gc != nil; {
						gn := gc.NextSibling
						c.RemoveChild(gc)
						n.InsertBefore(gc, c)
						gc = gn
					}
					n.RemoveChild(c)
					c = next
					continue
				}
				setAttr(c, "rel", "noopener")
			}
		}
		fix(c)
		c = next
	}
}

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *xhtml.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, xhtml.Attribute{Key: key, Val: val})
}

// blocks end a line in PlainText.
var blocks = map[string]bool{
	"p": true, "div": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"li": true, "blockquote": true, "tr": true, "table": true, "ul": true, "ol": true,
	"br": true, "section": true, "article": true, "thead": true, "tbody": true,
}

// PlainText extracts the text of an HTML fragment: block boundaries become
// newlines, table cells are separated by a space, entities are decoded,
// runs of spaces collapse to one and blank lines are dropped. Script and
// style contents are not text.
func PlainText(s string) string {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			return collapse(b.String())
		case xhtml.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case xhtml.StartTagToken, xhtml.EndTagToken, xhtml.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			switch {
			case tag == "script" || tag == "style":
				if tt == xhtml.StartTagToken {
					skip++
				} else if tt == xhtml.EndTagToken && skip > 0 {
					skip--
				}
			case blocks[tag]:
				b.WriteByte('\n')
			case tag == "td" || tag == "th":
				b.WriteByte(' ')
			}
		}
	}
}

var spaces = regexp.MustCompile(`[ \t\r\f\v\x{00a0}\x{3000}]+`)

func collapse(s string) string {
	// The tokenizer has already decoded entities in text tokens.
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.TrimSpace(spaces.ReplaceAllString(l, " "))
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// mediaRef finds the media ids of the images a sanitised body shows.
var mediaRef = regexp.MustCompile(`src="/api/portal/v1/media/([A-Za-z0-9_-]+)`)

// MediaIDs are the ids of the media a sanitised body shows as images, in
// order, each once: the body's owner records them as attached, so that
// an image follows its document's access rule like any attachment.
func MediaIDs(html string) []string {
	var out []string
	for _, m := range mediaRef.FindAllStringSubmatch(html, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}
