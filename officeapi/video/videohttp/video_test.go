package videohttp_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"slices"
	"sync"
	"testing"

	"zhengwu/officeapi"
	"zhengwu/officeapi/officetest"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/video"
	"zhengwu/officeapi/video/videohttp"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/testkit"
)

// files is the media store as the library sees it, in memory: the media
// store itself (cms/media) sniffs and serves the bytes with Range, and is
// tested there and in cmd/zhengwu; here the type is given.
type files struct {
	mu   sync.Mutex
	byID map[string]video.File
	data map[string][]byte
}

func newFiles() *files { return &files{byID: map[string]video.File{}, data: map[string][]byte{}} }

func (f *files) put(name, typ string, b []byte) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	sum := sha256.Sum256(b)
	id := hex.EncodeToString(sum[:])
	f.byID[id], f.data[id] = video.File{ID: id, Name: name, Type: typ, Size: int64(len(b))}, b
	return id
}

func (f *files) Describe(_ context.Context, id string) (video.File, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.byID[id]
	return v, ok, nil
}

func (f *files) Open(_ context.Context, id string) (io.ReadCloser, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return io.NopCloser(bytes.NewReader(f.data[id])), nil
}

func (f *files) Add(_ context.Context, _ records.Actor, name string, r io.Reader) (string, error) {
	b, err := io.ReadAll(r)
	return f.put(name, "image/png", b), err
}

func (f *files) bytes(id string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.data[id]
}

const base = "/api/office/v1/videos"

// newEnv is the demo office with the library mounted; the editor (信息处,
// video.manage there) manages it.
func newEnv(t *testing.T, prober video.Prober) (*officetest.Env, *files) {
	e := officetest.New(t)
	fs := newFiles()
	svc, err := video.New(video.Deps{Deps: e.Deps("video"), Files: fs, Prober: prober})
	if err != nil {
		t.Fatal(err)
	}
	e.Mount(svc, videohttp.Routes(svc, e.Tokens))
	return e, fs
}

func clip(t *testing.T) []byte {
	b, err := os.ReadFile("../data/meeting.webm")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func add(t *testing.T, e *officetest.Env, fs *files, body map[string]any) map[string]any {
	t.Helper()
	in := map[string]any{"title": "公文写作培训", "category": "培训视频", "classification": "非密", "audience": "office",
		"mediaId": fs.put("培训.webm", video.TypeWebM, clip(t))}
	for k, v := range body {
		in[k] = v
	}
	r := e.Do("POST", base, e.TokenOf("editor"), in)
	openapitest.Response(t, officeapi.API(e.Routes), "POST", "/videos", r.Status, r.Body)
	if r.Status != 201 {
		t.Fatalf("add: %d %s", r.Status, r.Body)
	}
	return r.JSON()
}

func TestFFmpegMakesThePosterAndReadsTheDuration(t *testing.T) {
	prober, err := video.FindProber("")
	if err != nil {
		t.Skip("no ffmpeg here:", err)
	}
	e, fs := newEnv(t, prober)
	v := add(t, e, fs, nil)
	if d := v["duration"].(float64); d < 3.9 || d > 4.1 {
		t.Fatalf("duration %v, want about 4 s", d)
	}
	if v["posterNote"] != nil {
		t.Fatalf("a note with ffmpeg present: %v", v["posterNote"])
	}
	poster := fs.bytes(v["posterId"].(string))
	if !bytes.HasPrefix(poster, []byte("\x89PNG")) || bytes.Equal(poster, video.PlaceholderPoster()) {
		t.Fatalf("the poster is not a frame (%d bytes)", len(poster))
	}
}

func TestWithoutFFmpegAPlaceholderAndTheReason(t *testing.T) {
	prober, err := video.FindProber("/nonexistent/ffmpeg")
	if err == nil || prober.Available() {
		t.Fatal("a missing ffmpeg was found")
	}
	e, fs := newEnv(t, prober)
	v := add(t, e, fs, nil)
	if v["duration"].(float64) != 0 || v["posterNote"] != video.NoFFmpegNote {
		t.Fatalf("without ffmpeg: duration %v, note %v", v["duration"], v["posterNote"])
	}
	if !bytes.Equal(fs.bytes(v["posterId"].(string)), video.PlaceholderPoster()) {
		t.Fatal("the poster is not the placeholder")
	}
}

func TestAFileThatIsNoVideoIsRefused(t *testing.T) {
	e, fs := newEnv(t, video.Prober{})
	pdf := fs.put("通知.pdf", "application/pdf", []byte("%PDF-1.7 not a video"))
	for name, id := range map[string]string{"pdf": pdf, "missing": "0000"} {
		r := e.Do("POST", base, e.TokenOf("editor"), map[string]any{"title": "误传", "category": "培训视频",
			"classification": "非密", "audience": "office", "mediaId": id})
		if p := testkit.WantProblem(t, r, 400, "invalid"); !bytes.Contains(r.Body, []byte(`"mediaId"`)) {
			t.Fatalf("%s: the problem does not name mediaId: %v", name, p)
		}
	}
	if got := e.Listed("editor", "/videos"); len(got) != 0 {
		t.Fatalf("a refused video was stored: %v", got)
	}
	// Managing needs video.manage: staff (秘书二处) has none.
	r := e.Do("POST", base, e.TokenOf("staff"), map[string]any{"title": "x", "category": "培训视频",
		"classification": "非密", "audience": "office", "mediaId": pdf})
	testkit.WantProblem(t, r, 403, "forbidden")
}

// Visibility decides the list, the player (get), the files (MediaRule)
// and search (the projection's readers) alike.
func TestVisibilityInListPlayFilesAndSearch(t *testing.T) {
	e, fs := newEnv(t, video.Prober{})
	mishu2 := add(t, e, fs, map[string]any{"title": "秘书二处内部培训", "audience": "custom", "departments": []string{"mishu2"}})
	named := add(t, e, fs, map[string]any{"title": "点名观看", "audience": "custom", "people": []string{e.UserID("clerk")}})
	secret := add(t, e, fs, map[string]any{"title": "涉密会议录像", "classification": "秘密"})
	open := add(t, e, fs, map[string]any{"title": "全办可看"})
	ids := func(vs ...map[string]any) []string {
		var out []string
		for _, v := range vs {
			out = append(out, v["id"].(string))
		}
		slices.Sort(out)
		return out
	}
	rule := video.MediaRule(e.Store)
	for user, want := range map[string][]string{
		"staff":  ids(mishu2, open),                // 秘书二处, 非密
		"clerk":  ids(named, secret, open),         // 综合处, 秘密, named
		"editor": ids(mishu2, named, secret, open), // the manager
	} {
		got := e.Listed(user, "/videos")
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s lists %v, want %v", user, got, want)
		}
		p := principal(t, e, user)
		for _, v := range []map[string]any{mishu2, named, secret, open} {
			id := v["id"].(string)
			r := e.Do("GET", base+"/"+id, e.TokenOf(user), nil)
			may := slices.Contains(want, id)
			if (r.Status == 200) != may || (!may && r.Status != 404) {
				t.Errorf("%s gets %s: %d, may=%v", user, v["title"], r.Status, may)
			}
			for _, m := range []string{v["mediaId"].(string), v["posterId"].(string)} {
				d, err := rule(context.Background(), id, m)
				if err != nil || !d.Attaches || d.Access.Allows(p) != may || d.Public {
					t.Errorf("%s: the file %s of %s: %+v %v, may=%v", user, m[:8], v["title"], d, err, may)
				}
			}
			doc, _ := e.Store.Get(context.Background(), video.Collection, id)
			sd, ok := video.SearchProjection().Project(doc)
			acc := auth.Access{Classification: sd.Classification, Readers: sd.Readers}
			if !ok || acc.Allows(p) != may || sd.Path != "/office/videos/"+id {
				t.Errorf("%s: search of %s: ok=%v allows=%v may=%v", user, v["title"], ok, acc.Allows(p), may)
			}
		}
	}
}

func principal(t *testing.T, e *officetest.Env, user string) *auth.Principal {
	t.Helper()
	p, err := e.Identity.PrincipalByUsername(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWithdrawnOnlyItsManagersSee(t *testing.T) {
	e, fs := newEnv(t, video.Prober{})
	v := add(t, e, fs, nil)
	id := v["id"].(string)
	testkit.WantProblem(t, e.Do("POST", base+"/"+id+"/withdraw", e.TokenOf("staff"), nil), 403, "forbidden")
	r := e.Do("POST", base+"/"+id+"/withdraw", e.TokenOf("editor"), nil)
	if r.Status != 200 || r.JSON()["state"] != "withdrawn" {
		t.Fatalf("withdraw: %d %s", r.Status, r.Body)
	}
	if got := e.Listed("staff", "/videos"); len(got) != 0 {
		t.Fatalf("staff still lists a withdrawn video: %v", got)
	}
	testkit.WantProblem(t, e.Do("GET", base+"/"+id, e.TokenOf("staff"), nil), 404, "not_found")
	var page struct{ Items []struct{ ID string } }
	e.Do("GET", base+"?withdrawn=true", e.TokenOf("editor"), nil).Decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].ID != id {
		t.Fatalf("the manager's withdrawn list: %+v", page)
	}
	testkit.WantProblem(t, e.Do("POST", base+"/"+id+"/withdraw", e.TokenOf("editor"), nil), 409, "invalid_state")
	if r := e.Do("POST", base+"/"+id+"/restore", e.TokenOf("editor"), nil); r.Status != 200 {
		t.Fatalf("restore: %d %s", r.Status, r.Body)
	}
}

func TestEditAtAStaleVersionConflicts(t *testing.T) {
	e, fs := newEnv(t, video.Prober{})
	v := add(t, e, fs, nil)
	id := v["id"].(string)
	edit := map[string]any{"title": "公文写作培训（修订）", "category": "培训视频", "classification": "非密",
		"audience": "custom", "departments": []string{"xinxi"}, "version": v["version"]}
	if r := e.Do("PUT", base+"/"+id, e.TokenOf("editor"), edit); r.Status != 200 || r.JSON()["title"] != "公文写作培训（修订）" {
		t.Fatalf("edit: %d %s", r.Status, r.Body)
	}
	testkit.WantProblem(t, e.Do("PUT", base+"/"+id, e.TokenOf("editor"), edit), 409, "conflict")
	edit["version"], edit["classification"] = 2.0, "绝密"
	r := e.Do("PUT", base+"/"+id, e.TokenOf("editor"), edit)
	testkit.WantProblem(t, r, 400, "invalid")
	if got := e.Listed("staff", "/videos"); len(got) != 0 {
		t.Fatalf("narrowed to 信息处, staff still lists it: %v", got)
	}
}
