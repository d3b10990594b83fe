package main

import (
	"fmt"
	"os"
	"strings"
)

// The Caddyfile as deploy_test.go reads it: just enough of Caddy's syntax
// for deploy/Caddyfile (blocks, snippets and their import, handle blocks
// with one path, reverse_proxy with its upstreams). Anything else in a
// handle block is left alone; a handle block with a named matcher or more
// than one path is refused, since the routing below would not be Caddy's.

// caddyBlock is one line of a Caddyfile with the block it opens, if any.
type caddyBlock struct {
	tokens []string
	body   []*caddyBlock
}

// caddyRoute is one handle block: its path pattern ("" for the block
// without one) and the upstreams it proxies to, with the directives of
// its reverse_proxy block, snippets expanded.
type caddyRoute struct {
	path      string
	upstreams []string
	proxy     map[string][]string
}

// caddySite is the site block's routes and its other directives.
type caddySite struct {
	address    string
	routes     []caddyRoute
	directives map[string][]string
}

func parseCaddyfile(path string) (*caddySite, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	root := &caddyBlock{}
	stack := []*caddyBlock{root}
	for n, line := range strings.Split(string(data), "\n") {
		if i := strings.Index(line, "#"); i >= 0 && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		top := stack[len(stack)-1]
		switch {
		case len(fields) == 1 && fields[0] == "}":
			if len(stack) == 1 {
				return nil, fmt.Errorf("%s:%d: unbalanced }", path, n+1)
			}
			stack = stack[:len(stack)-1]
		case fields[len(fields)-1] == "{":
			b := &caddyBlock{tokens: fields[:len(fields)-1]}
			top.body = append(top.body, b)
			stack = append(stack, b)
		default:
			top.body = append(top.body, &caddyBlock{tokens: unquote(fields)})
		}
	}
	if len(stack) != 1 {
		return nil, fmt.Errorf("%s: a block is not closed", path)
	}
	snippets := map[string][]*caddyBlock{}
	var site *caddyBlock
	for _, b := range root.body {
		switch {
		case len(b.tokens) == 0: // global options
		case len(b.tokens) == 1 && strings.HasPrefix(b.tokens[0], "(") && strings.HasSuffix(b.tokens[0], ")"):
			snippets[strings.Trim(b.tokens[0], "()")] = b.body
		case site == nil:
			site = b
		default:
			return nil, fmt.Errorf("%s: more than one site block", path)
		}
	}
	if site == nil {
		return nil, fmt.Errorf("%s: no site block", path)
	}
	s := &caddySite{address: strings.Join(site.tokens, " "), directives: map[string][]string{}}
	for _, b := range site.body {
		if b.tokens[0] != "handle" {
			s.directives[b.tokens[0]] = append(s.directives[b.tokens[0]], b.tokens[1:]...) // repeated directives add up
			continue
		}
		r := caddyRoute{proxy: map[string][]string{}}
		switch len(b.tokens) {
		case 1:
		case 2:
			if !strings.HasPrefix(b.tokens[1], "/") {
				return nil, fmt.Errorf("%s: handle %s: only a path matcher is read here", path, b.tokens[1])
			}
			r.path = b.tokens[1]
		default:
			return nil, fmt.Errorf("%s: handle %v: one path at most", path, b.tokens[1:])
		}
		for _, d := range b.body {
			if d.tokens[0] != "reverse_proxy" {
				continue
			}
			r.upstreams = d.tokens[1:]
			lines, err := expand(d.body, snippets)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			for _, l := range lines {
				r.proxy[l.tokens[0]] = l.tokens[1:]
			}
		}
		s.routes = append(s.routes, r)
	}
	return s, nil
}

// expand replaces `import NAME` lines by the snippet's lines.
func expand(lines []*caddyBlock, snippets map[string][]*caddyBlock) ([]*caddyBlock, error) {
	var out []*caddyBlock
	for _, l := range lines {
		if l.tokens[0] == "import" {
			body, ok := snippets[l.tokens[1]]
			if !ok {
				return nil, fmt.Errorf("import %s: no such snippet", l.tokens[1])
			}
			out = append(out, body...)
			continue
		}
		out = append(out, l)
	}
	return out, nil
}

func unquote(fields []string) []string {
	for i, f := range fields {
		fields[i] = strings.Trim(f, `"`)
	}
	return fields
}

// route is the handle block Caddy gives the request path: of those whose
// path matches, the longest path; else the block without a path.
func (s *caddySite) route(reqPath string) (caddyRoute, bool) {
	best, found := caddyRoute{}, false
	for _, r := range s.routes {
		if r.path == "" {
			if !found {
				best, found = r, true
			}
			continue
		}
		if caddyPathMatches(r.path, reqPath) && (best.path == "" || len(r.path) > len(best.path)) {
			best, found = r, true
		}
	}
	return best, found
}

// caddyPathMatches is Caddy's path matcher for the forms used here: an
// exact path, or a prefix ending in "*".
func caddyPathMatches(pattern, p string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(p, prefix)
	}
	return p == pattern
}
