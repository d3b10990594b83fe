// Package frontend embeds the built SPA (frontend/dist) into the zhengwu
// binary. Build it with `make frontend` (npm ci && npm run build) before
// `go build`; without a build the binary serves a page that says so.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist is the built SPA, rooted at dist/.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // dist/ is embedded at compile time; this cannot fail
	}
	return sub
}
