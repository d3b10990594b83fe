package meetinghttp_test

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"zhengwu/officeapi"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/testkit"
)

// words are the words pdftotext -bbox finds, page by page, with their
// boxes in points from the top left.
type bboxPage struct {
	Width  float64 `xml:"width,attr"`
	Height float64 `xml:"height,attr"`
	Words  []struct {
		XMin float64 `xml:"xMin,attr"`
		YMin float64 `xml:"yMin,attr"`
		XMax float64 `xml:"xMax,attr"`
		YMax float64 `xml:"yMax,attr"`
		Text string  `xml:",chardata"`
	} `xml:"word"`
}

func pdfWords(t *testing.T, pdf []byte) []bboxPage {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed: .ci/run installs it")
	}
	f := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-bbox", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Pages []bboxPage `xml:"body>doc>page"`
	}
	d := xml.NewDecoder(bytes.NewReader(out))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	if err := d.Decode(&doc); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return doc.Pages
}

func TestNameCardsAndSeatChart(t *testing.T) {
	e := newEnv(t)
	api := officeapi.API(e.Routes)
	e.room("row-5", 5)
	id := e.idOf(e.book(map[string]any{"roomId": "row-5", "title": "座次测试会"}, who{"director", "rostrum", 1}, who{"fumishu1", "rostrum", 2},
		who{"fumishu2", "rostrum", 3}, who{"editor", "audience", 0}))
	testkit.WantProblem(t, e.Do("GET", base+"/"+id+"/namecards.pdf", e.TokenOf("huiwu"), nil), 409, "invalid_state")
	a := arrangement(t, e.Do("POST", base+"/"+id+"/seating", e.TokenOf("huiwu"), nil))

	r := e.Do("GET", base+"/"+id+"/namecards.pdf", e.TokenOf("huiwu"), nil)
	openapitest.Response(t, api, "GET", "/meetings/{id}/namecards.pdf", r.Status, r.Body)
	if r.Status != 200 || !bytes.HasPrefix(r.Body, []byte("%PDF-")) || r.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("name cards: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	testkit.WantProblem(t, e.Do("GET", base+"/"+id+"/namecards.pdf", e.TokenOf("editor"), nil), 403, "forbidden")
	pages := pdfWords(t, r.Body)
	// One card per person, in the order they are set out: the rostrum
	// left to right, then the audience.
	want := append(names(a.Rostrum), names(a.Audience)...)
	if len(pages) != len(want) {
		t.Fatalf("%d cards for %d people", len(pages), len(want))
	}
	for i, pg := range pages {
		var lower, upper int
		for _, w := range pg.Words {
			if w.Text != want[i] {
				continue
			}
			// The name is large (over 40 mm across) and centred, once on
			// each face of the fold (the sheet's middle).
			if w.XMax-w.XMin < 40/25.4*72 || abs((w.XMin+w.XMax)/2-pg.Width/2) > 5 {
				t.Errorf("card %d: %q at %.0f–%.0f", i+1, w.Text, w.XMin, w.XMax)
			}
			switch {
			case w.YMin > pg.Height/2:
				lower++
			case w.YMax < pg.Height/2:
				upper++
			}
		}
		if lower != 1 || upper != 1 {
			t.Errorf("card %d (%s): the name on the lower face %d times, on the upper %d: %+v", i+1, want[i], lower, upper, pg.Words)
		}
	}

	r = e.Do("GET", base+"/"+id+"/seating.pdf", e.TokenOf("huiwu"), nil)
	if r.Status != 200 || !bytes.HasPrefix(r.Body, []byte("%PDF-")) {
		t.Fatalf("chart: %d", r.Status)
	}
	chart := pdfWords(t, r.Body)[0]
	// The rostrum's names left to right on the chart as in the arrangement
	// (seen from the audience), above the audience's.
	type at struct {
		name string
		x, y float64
	}
	var rostrum []at
	var audienceY float64
	for _, w := range chart.Words {
		if slices.Contains(names(a.Rostrum), w.Text) {
			rostrum = append(rostrum, at{w.Text, w.XMin, w.YMin})
		}
		if w.Text == "李文静" {
			audienceY = w.YMin
		}
	}
	sort.Slice(rostrum, func(i, j int) bool { return rostrum[i].x < rostrum[j].x })
	var got []string
	for _, p := range rostrum {
		got = append(got, p.name)
		if p.y >= audienceY {
			t.Errorf("%s is not above the audience", p.name)
		}
	}
	if !slices.Equal(got, names(a.Rostrum)) {
		t.Fatalf("chart rostrum %v, arrangement %v", got, names(a.Rostrum))
	}
	r = e.Do("GET", base+"/"+id+"/seating.png", e.TokenOf("huiwu"), nil)
	img, err := png.Decode(bytes.NewReader(r.Body))
	if err != nil || img.Bounds().Dx() < 1000 {
		t.Fatalf("chart PNG: %v", err)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
