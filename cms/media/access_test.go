package media_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"zhengwu/cms/media/mediahttp"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/testkit"
)

// #10, must not happen 1: "GET /api/portal/v1/media/{id} needs no login,
// and the same store holds attachments of internal portal items and of
// 秘密 office items: a 秘密 item's attachment downloaded anonymously with
// 200." Every read of a file (download, thumbnail, a revalidation) asks
// the rules of the documents that attach it; a reader they do not let
// through gets the 404 of a missing file; only public files may be kept
// by shared caches.
func TestEveryReadFollowsTheOwnersRule(t *testing.T) {
	e := newEnv(t, "store", 0)
	up := func(name string, w int) string {
		r := e.upload(e.editor, name, pngOf(t, w, 30))
		if r.Status != 201 {
			t.Fatalf("upload: %d %s", r.Status, r.Body)
		}
		var m struct{ ID string }
		r.Decode(t, &m)
		return m.ID
	}
	secret, loose := up("秘密附件.png", 40), up("未使用.png", 41)
	e.attach("secret-page", page{Media: []string{secret}, Access: auth.Access{Classification: classification.Mimi,
		Readers: []string{auth.Member("xinxi")}}})

	cleared := e.Token(testkit.Principal("u-cleared", classification.Mimi, []string{"xinxi"}))
	lowClearance := e.Token(testkit.Principal("u-low", classification.Feimi, []string{"xinxi"}))
	otherDept := e.Token(testkit.Principal("u-other", classification.Jimi, []string{"caiwu"}))
	bearer := func(tok string) []string { return []string{"Authorization", "Bearer " + tok} }
	cookie := func(tok string) []string { return []string{"Cookie", mediahttp.SessionCookie + "=" + tok} }

	for _, path := range []string{"/api/portal/v1/media/" + secret, "/api/portal/v1/media/" + secret + "/thumbnail"} {
		for _, c := range []struct {
			who     string
			headers []string
			status  int
		}{
			{"anonymous", nil, 404},
			{"clearance below 秘密", bearer(lowClearance), 404},
			{"another department", bearer(otherDept), 404},
			{"a reader by the header", bearer(cleared), 200},
			{"a reader by the cookie", cookie(cleared), 200},
			{"a forged cookie", cookie("forged"), 404},
			{"a revalidation by a stranger", []string{"If-None-Match", `"` + secret + `"`}, 404},
		} {
			r := e.get(path, c.headers...)
			if r.Status != c.status {
				t.Errorf("%s, %s: %d, want %d", path, c.who, r.Status, c.status)
				continue
			}
			if c.status == 404 {
				testkit.WantProblem(t, r, 404, "not_found")
			} else if cc := r.Header.Get("Cache-Control"); cc != "private, no-store" {
				t.Errorf("%s, %s: Cache-Control %q: a classified file must not be kept", path, c.who, cc)
			}
		}
	}

	// A file no document has taken yet: its uploader may check it, no one
	// else may read it.
	if r := e.get("/api/portal/v1/media/"+loose, bearer(e.editor)...); r.Status != 200 {
		t.Errorf("the uploader reads their unattached file: %d", r.Status)
	}
	for _, h := range [][]string{nil, bearer(e.staff), bearer(cleared)} {
		if r := e.get("/api/portal/v1/media/"+loose, h...); r.Status != 404 {
			t.Errorf("an unattached file read by %v: %d", h, r.Status)
		}
	}

	// A document that drops the file takes its readers' access with it.
	e.attach("secret-page", page{Media: nil, Access: auth.Access{Classification: classification.Mimi,
		Readers: []string{auth.Member("xinxi")}}})
	if r := e.get("/api/portal/v1/media/"+secret, bearer(cleared)...); r.Status != 404 {
		t.Errorf("a file its document dropped: %d", r.Status)
	}
	// Made public by another document: anyone, and cacheable for a while.
	e.attach("news", page{Media: []string{secret}, Public: true})
	r := e.get("/api/portal/v1/media/" + secret)
	if r.Status != 200 || r.Header.Get("Cache-Control") != "public, max-age=3600" {
		t.Errorf("a public file: %d %q", r.Status, r.Header.Get("Cache-Control"))
	}
}

// The SPA's media session: POST puts the access token in a cookie the
// browser sends to the media routes alone, not readable by scripts, never
// on a request another site starts; DELETE clears it; no token, no cookie.
func TestMediaSessionCookie(t *testing.T) {
	e := newEnv(t, "store", 0)
	r := testkit.Send(t, e.app, testkit.Request{Method: "POST", Path: "/api/portal/v1/media/session", Token: e.staff})
	if r.Status != 204 {
		t.Fatalf("start: %d %s", r.Status, r.Body)
	}
	ck := findCookie(r.Header, mediahttp.SessionCookie)
	if ck == nil || ck.Value != e.staff || ck.Path != "/api/portal/v1/media" || !ck.HttpOnly ||
		ck.SameSite != http.SameSiteStrictMode {
		t.Fatalf("cookie: %+v", ck)
	}
	testkit.WantProblem(t, testkit.Send(t, e.app, testkit.Request{Method: "POST", Path: "/api/portal/v1/media/session"}),
		401, "unauthenticated")
	r = testkit.Send(t, e.app, testkit.Request{Method: "DELETE", Path: "/api/portal/v1/media/session"})
	if ck := findCookie(r.Header, mediahttp.SessionCookie); r.Status != 204 || ck == nil || ck.Value != "" || !ck.Expires.Before(time.Now()) {
		t.Fatalf("end: %d %+v", r.Status, ck)
	}
}

func findCookie(h http.Header, name string) *http.Cookie {
	for _, line := range h.Values("Set-Cookie") {
		if c, err := http.ParseSetCookie(line); err == nil && strings.EqualFold(c.Name, name) {
			return c
		}
	}
	return nil
}
