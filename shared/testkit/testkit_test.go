package testkit

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/httpx"
	"zhengwu/shared/problem"
)

// The kit's own pieces, checked against a tiny app: a token the env
// issues is verified, scenarios catch wrong statuses and missing fields.
func TestScenarioAgainstATinyApp(t *testing.T) {
	e := New(t)
	app := httpx.NewApp(httpx.Options{Logger: e.Log})
	app.Get("/who", e.Tokens.Required(), func(c *fiber.Ctx) error {
		p := auth.Caller(c)
		if !p.Can(auth.PermInfoEdit, "xinxi") {
			return problem.Invalid(problem.Field("department", "无此处室权限", "no right in this department"))
		}
		return c.JSON(fiber.Map{"uid": p.UserID})
	})
	editor := e.Token(Principal("u-editor", classification.Mimi, []string{"xinxi"}, Holds(auth.PermInfoEdit, "xinxi")))
	staff := e.Token(Principal("u-staff", classification.Feimi, nil))
	Run(t, app,
		Scenario{Name: "anonymous", Method: "GET", Path: "/who", Status: 401, Code: problem.CodeUnauthenticated},
		Scenario{Name: "editor", Method: "GET", Path: "/who", Token: editor, Status: 200, Contains: []string{"u-editor"}},
		Scenario{Name: "staff", Method: "GET", Path: "/who", Token: staff, Status: 400, Code: problem.CodeInvalid,
			Field: "department", NotContains: []string{"u-staff"}},
	)
}

func TestClockAndRestart(t *testing.T) {
	e := New(t)
	before := e.Clock.Now()
	e.Clock.Advance(time.Hour)
	if got := e.Clock.Now().Sub(before); got != time.Hour {
		t.Fatalf("advanced %v", got)
	}
	tok := e.Token(Principal("u1", classification.Feimi, nil))
	r := e.Restart()
	if _, err := r.Tokens.Verify(tok); err != nil {
		t.Fatalf("a token from before the restart: %v", err)
	}
}

// Get sends headers given as pairs; with a body, Send sets the JSON
// Content-Type unless a header says otherwise, and an empty value
// removes it.
func TestHeaders(t *testing.T) {
	app := fiber.New()
	app.All("/echo", func(c *fiber.Ctx) error { return c.SendString(c.Get("Content-Type") + "|" + c.Get("Range")) })
	for _, c := range []struct {
		r    Request
		want string
	}{
		{Request{Method: "GET", Path: "/echo", Headers: map[string]string{"Range": "bytes=0-1"}}, "|bytes=0-1"},
		{Request{Method: "POST", Path: "/echo", Body: "x"}, "application/json|"},
		{Request{Method: "POST", Path: "/echo", Body: "x", Headers: map[string]string{"Content-Type": "text/plain"}}, "text/plain|"},
		{Request{Method: "POST", Path: "/echo", Body: "x", Headers: map[string]string{"Content-Type": ""}}, "|"},
	} {
		if got := string(Send(t, app, c.r).Body); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.r.Method, c.r.Headers, got, c.want)
		}
	}
	if got := string(Get(t, app, "/echo", "Range", "bytes=2-3").Body); got != "|bytes=2-3" {
		t.Errorf("Get: %q", got)
	}
}

func TestAudited(t *testing.T) {
	e := New(t)
	for _, ev := range []audit.Event{{Actor: "u", Action: "x.create", Target: "xs/1", Outcome: audit.Success},
		{Actor: "u", Action: "x.create", Target: "xs/2", Outcome: audit.Success},
		{Actor: "u", Action: "x.delete", Target: "xs/1", Outcome: audit.Failure}} {
		if _, err := e.Trail.Record(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.Audited("x.create", "xs/1"); len(got) != 1 || got[0].Outcome != audit.Success {
		t.Fatalf("%+v", got)
	}
}

// PDF's cross-reference table points at each object's first byte, and
// PDFStream's length is its data's.
func TestPDF(t *testing.T) {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>", PDFStream("", []byte("BT ET"))}
	doc := string(PDF(objs...))
	if !strings.HasPrefix(doc, "%PDF-1.7\n") || !strings.HasSuffix(doc, "%%EOF\n") {
		t.Fatalf("framing: %q", doc)
	}
	if !strings.Contains(objs[2], "/Length 5 >>\nstream\nBT ET\nendstream") {
		t.Fatalf("stream: %q", objs[2])
	}
	xref := doc[strings.Index(doc, "xref\n"):]
	lines := strings.Split(xref, "\n")[3 : 3+len(objs)]
	for i, l := range lines {
		var off int
		if _, err := fmt.Sscanf(l, "%010d 00000 n ", &off); err != nil {
			t.Fatalf("xref line %q: %v", l, err)
		}
		if want := fmt.Sprintf("%d 0 obj\n", i+1); !strings.HasPrefix(doc[off:], want) {
			t.Errorf("object %d: offset %d points at %q", i+1, off, doc[off:off+10])
		}
	}
}
