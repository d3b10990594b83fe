package openapi_test

import (
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi"
	"zhengwu/shared/testkit"
)

type note struct {
	Text string `json:"text" validate:"max=5"`
}

type filter struct {
	Size int `query:"size" validate:"omitempty,max=9"`
}

// Handle describes the types its handler decodes and encodes, reads the
// body (or the query for GET), names the field it refuses, and takes an
// absent optional body as the zero value.
func TestHandle(t *testing.T) {
	post := openapi.Handle(openapi.Op{Method: "POST", Path: "/notes", OK: 201, BodyOptional: true},
		func(c *fiber.Ctx, in note) (note, error) { return note{Text: in.Text + "!"}, nil })
	get := openapi.Handle(openapi.Op{Method: "GET", Path: "/notes", OK: 200},
		func(c *fiber.Ctx, in filter) ([]int, error) { return []int{in.Size}, nil })
	if post.Req != (note{}) || post.Resp != (note{}) || post.Query != nil || get.Query != (filter{}) || get.Req != nil {
		t.Fatalf("described: %+v / %+v", post.Op, get.Op)
	}
	app := httpx.NewApp(httpx.Options{})
	openapi.Mount(app, []openapi.Route{post, get})
	for _, c := range []struct {
		method, path string
		body         any
		status       int
		want         string
	}{
		{"POST", "/notes", map[string]string{"text": "好"}, 201, `{"text":"好!"}`},
		{"POST", "/notes", nil, 201, `{"text":"!"}`},
		{"POST", "/notes", map[string]string{"text": "太长了太长了"}, 400, `"field":"text"`},
		{"GET", "/notes?size=3", nil, 200, `[3]`},
		{"GET", "/notes?size=30", nil, 400, `"field":"size"`},
	} {
		r := testkit.Do(t, app, c.method, c.path, "", c.body)
		if r.Status != c.status || !strings.Contains(string(r.Body), c.want) {
			t.Errorf("%s %s %v: %d %s, want %d %s", c.method, c.path, c.body, r.Status, r.Body, c.status, c.want)
		}
	}
}

// An Out of struct{} is an answer without a body: nothing is described
// and the 204 carries no JSON (as c.SendStatus answers).
func TestHandleNoContent(t *testing.T) {
	del := openapi.Handle(openapi.Op{Method: "DELETE", Path: "/notes/{id}", OK: 204},
		func(c *fiber.Ctx, _ struct{}) (struct{}, error) { return struct{}{}, nil })
	if del.Resp != nil || del.Query != nil || del.Req != nil {
		t.Fatalf("described: %+v", del.Op)
	}
	app := httpx.NewApp(httpx.Options{})
	openapi.Mount(app, []openapi.Route{del})
	r := testkit.Do(t, app, "DELETE", "/notes/1", "", nil)
	if ct := r.Header.Get("Content-Type"); r.Status != 204 || len(r.Body) != 0 || strings.Contains(ct, "json") {
		t.Errorf("DELETE: %d %q %q", r.Status, ct, r.Body)
	}
}
