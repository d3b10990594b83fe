package richtext_test

import (
	"strings"
	"testing"

	"zhengwu/shared/richtext"
)

func TestSanitizeRemovesXSS(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in string
		mustNot  []string
		mustHave []string
	}{
		{"script", `<p>通知</p><script>alert(1)</script>`, []string{"<script", "alert"}, []string{"<p>通知</p>"}},
		{"onerror", `<img src="/api/portal/v1/media/abc" onerror="alert(1)">`, []string{"onerror", "alert"}, []string{`src="/api/portal/v1/media/abc"`}},
		{"javascript href", `<a href="javascript:alert(1)">点击</a>`, []string{"javascript", "<a"}, []string{"点击"}},
		{"javascript entity", `<a href="jav&#x09;ascript:alert(1)">x</a>`, []string{"javascript", "ascript:"}, nil},
		{"svg", `<svg onload="alert(1)"><circle/></svg><p>正文</p>`, []string{"<svg", "onload"}, []string{"正文"}},
		{"style element", `<style>body{display:none}</style><p>正文</p>`, []string{"<style", "display"}, []string{"正文"}},
		{"style attr", `<p style="position:fixed">正文</p><span style="color:red">红</span>`, []string{"style", "position"}, []string{"<span>红</span>"}},
		{"iframe", `<iframe src="https://evil.example"></iframe>`, []string{"iframe", "evil"}, nil},
		{"outside image", `<p><img src="https://evil.example/x.png">图</p>`, []string{"<img", "evil"}, []string{"图"}},
		{"data image", `<img src="data:image/png;base64,AAAA">`, []string{"<img", "data:"}, nil},
		{"dot segments", `<img src="/api/portal/v1/media/../../admin">`, []string{"<img", "admin"}, nil},
		{"link rel", `<a href="https://www.gov.cn/">中国政府网</a>`, nil, []string{`href="https://www.gov.cn/"`, `rel="noopener"`, "中国政府网"}},
		{"mailto", `<a href="mailto:xinxi@ah.gov.cn">来信</a>`, nil, []string{"mailto:xinxi@ah.gov.cn", `rel="noopener"`}},
		{"table", `<table><thead><tr><th>序号</th></tr></thead><tbody><tr><td colspan="2">一</td></tr></tbody></table>`, nil, []string{"<table>", "<th>序号</th>", `colspan="2"`}},
		{"h1 dropped", `<h1>大标题</h1><h2>小标题</h2>`, []string{"<h1"}, []string{"<h2>小标题</h2>", "大标题"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := richtext.Sanitize(tc.in)
			for _, s := range tc.mustNot {
				if strings.Contains(strings.ToLower(got), strings.ToLower(s)) {
					t.Errorf("Sanitize(%q) = %q, contains %q", tc.in, got, s)
				}
			}
			for _, s := range tc.mustHave {
				if !strings.Contains(got, s) {
					t.Errorf("Sanitize(%q) = %q, lacks %q", tc.in, got, s)
				}
			}
		})
	}
}

func TestSanitizeIdempotent(t *testing.T) {
	t.Parallel()
	in := `<h2>一、总体要求</h2><p>坚持<strong>稳中求进</strong>，<a href="https://ah.gov.cn">详见</a>。</p><ul><li>甲</li><li>乙</li></ul>`
	once := richtext.Sanitize(in)
	if twice := richtext.Sanitize(once); twice != once {
		t.Fatalf("not idempotent:\n%s\n%s", once, twice)
	}
}

func TestPlainText(t *testing.T) {
	t.Parallel()
	in := `<h2>一、总体要求</h2><p>坚持&nbsp;&nbsp;<strong>稳中求进</strong>&amp;高质量发展。</p>
<ul><li>第一条</li><li>第二条</li></ul><table><tr><td>项目</td><td>金额</td></tr></table><p>   </p><script>alert(1)</script><p>A&lt;B</p>`
	want := "一、总体要求\n坚持 稳中求进&高质量发展。\n第一条\n第二条\n项目 金额\nA<B"
	if got := richtext.PlainText(in); got != want {
		t.Fatalf("PlainText:\ngot  %q\nwant %q", got, want)
	}
}
