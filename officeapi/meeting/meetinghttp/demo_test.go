package meetinghttp_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"zhengwu/officeapi/layout"
	"zhengwu/officeapi/meeting"
)

// The demo meetings are booked through the service; a second seeding adds
// nothing. With ZHENGWU_SAMPLES=<dir> the test writes the demo's seat
// charts and a name card there as PNG (docs/meetings/ holds the last ones).
func TestDemoMeetings(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	n, err := e.svc.SeedDemo(ctx, e.Identity.PrincipalByUsername)
	if err != nil || n != 5 {
		t.Fatalf("seeded %d: %v", n, err)
	}
	if n, err := e.svc.SeedDemo(ctx, e.Identity.PrincipalByUsername); err != nil || n != 0 {
		t.Fatalf("seeded again: %d %v", n, err)
	}
	huiwu, _ := e.Identity.PrincipalByUsername(ctx, "huiwu")
	if err := e.svc.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	page, err := e.svc.List(ctx, huiwu, meeting.ListQuery{Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	byTitle := map[string]string{}
	for _, m := range page.Items {
		states[m.State]++
		byTitle[m.Title] = m.ID
	}
	if states["scheduled"] != 3 || states["closed"] != 1 || states["cancelled"] != 1 {
		t.Fatalf("states: %v", states)
	}
	info, err := e.svc.Get(ctx, huiwu, byTitle["信息工作专题会议"])
	if err != nil || info.Document.Department != "xinxi" || info.Document.Plan == nil {
		t.Fatalf("the 信息处 meeting (the authorisation matrix's fixture): %+v %v", info.Document.Department, err)
	}
	big, _ := e.svc.Get(ctx, huiwu, byTitle["全省政务服务工作会议"])
	if big.Document.Plan == nil || len(big.Document.Plan.Rostrum) != 5 || len(big.Document.Plan.Audience) != 30 {
		t.Fatalf("the auditorium: %+v", big.Document.Plan)
	}
	dir := os.Getenv("ZHENGWU_SAMPLES")
	if dir == "" {
		return
	}
	fonts := layout.SystemFonts()
	for file, m := range map[string]meeting.Meeting{"seating-auditorium.png": big.Document, "seating-conf-60.png": info.Document} {
		b, err := meeting.ChartPNG(m.Title, *m.Plan, fonts, 4)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, file), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := meeting.NameCardsPDF(*info.Document.Plan, fonts)
	if err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(t.TempDir(), "cards.pdf")
	if err := os.WriteFile(pdf, b, 0o600); err != nil {
		t.Fatal(err)
	}
	// The first card, through poppler's pdftoppm.
	if out, err := exec.Command("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf, filepath.Join(dir, "namecard")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
}
