package media

import "strconv"

// Response is a stored media as an upload answers it: its record and the
// addresses it is served at.
type Response struct {
	Record
	URL          string `json:"url"`
	ThumbnailURL string `json:"thumbnailUrl,omitempty"`
}

// URLPrefix is where the media routes are mounted (package mediahttp).
const URLPrefix = "/api/portal/v1/media/"

// ResponseFor describes a record with its URLs.
func ResponseFor(rec Record) Response {
	r := Response{Record: rec, URL: URLPrefix + rec.ID}
	if isImage(rec.Type) {
		r.ThumbnailURL = URLPrefix + rec.ID + "/thumbnail?w=" + strconv.Itoa(DefaultThumbnailWidth)
	}
	return r
}
