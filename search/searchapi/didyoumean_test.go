package searchapi_test

import "testing"

// A search that finds nothing offers a variant a character off that finds
// something the reader may see (issue 15 item 6); one that finds
// something offers none, and neither does one with nothing close.
func TestDidYouMean(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.save("fire", newPage("关于加强森林草原火灾防控工作的通知", "做好森林草原防灭火工作"))
	e.save("zjt", newPage("省住建厅部署物业服务管理工作", "加强物业管理"))
	intl := newPage("内部通报水利工程质量检查情况", "内部")
	intl.Internal, intl.Channel = true, "neibu"
	e.save("int", intl)
	e.open(nil, nil)
	e.sync()

	for _, c := range []struct {
		typed, want string
		total       uint64
	}{
		{"森林草源火灾", "森林草原火灾", 1}, // a near character, from a title
		{"主建厅", "住建厅", 1},       // a near character, from the synonym list
		{"森林草原火灾", "", 0},       // found: nothing to offer
		{"量子计算机", "", 0},        // nothing close
		{"水利工成质量", "", 0},       // close only to what an anonymous reader may not see
	} {
		res := e.search(q("q", c.typed), "")
		got, total := "", uint64(0)
		if res.DidYouMean != nil {
			got, total = res.DidYouMean.Text, res.DidYouMean.Total
		}
		if got != c.want || total != c.total {
			t.Errorf("%q: did you mean %q (%d), want %q (%d); found %d", c.typed, got, total, c.want, c.total, res.Total)
		}
	}
	// A signed-in reader sees the internal page, so is offered its words.
	if res := e.search(q("q", "水利工成质量"), e.Token(reader)); res.DidYouMean == nil || res.DidYouMean.Text != "水利工程质量" {
		t.Errorf("signed in: did you mean %+v, want 水利工程质量", res.DidYouMean)
	}
}
