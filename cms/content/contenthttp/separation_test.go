package contenthttp_test

import (
	"testing"

	"zhengwu/shared/testkit"
)

// The separation and ownership refusals reach clients as 403 problems with
// their own codes and Chinese messages.
func TestSeparationRefusalsOverHTTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := e.want(e.do("POST", base+"/documents", "writer", newsBody("自己撰写的稿件")), 201)
	id := docID(m)
	m = e.want(e.do("POST", base+"/documents/"+id+"/submit", "editor", map[string]any{"version": version(m)}), 200)
	// The director takes 初审 (an office-wide grant covers it).
	after := e.want(e.do("POST", base+"/documents/"+id+"/approve", "director", map[string]any{"version": version(m)}), 200)
	dc := newsBody("督查室进政务要闻")
	dc["department"] = "ducha"
	testkit.Run(t, e.app,
		testkit.Scenario{Name: "an author approves what a colleague submitted", Method: "POST",
			Path: base + "/documents/" + id + "/approve", Token: e.tokens["writer"], Body: map[string]any{"version": version(after)},
			Status: 403, Code: "self_review", Contains: []string{"不能审核自己撰写、修改或提交的文档"}},
		testkit.Scenario{Name: "the 初审 reviewer takes 终审 too", Method: "POST",
			Path: base + "/documents/" + id + "/approve", Token: e.tokens["director"], Body: map[string]any{"version": version(after)},
			Status: 403, Code: "same_reviewer", Contains: []string{"须由不同人员办理", `"step":"初审"`}},
		testkit.Scenario{Name: "an editor writes in another department's channel", Method: "POST",
			Path: base + "/documents", Token: e.tokens["dc"], Body: dc,
			Status: 403, Code: "channel_not_owned", Contains: []string{"政务要闻"}},
	)
}
