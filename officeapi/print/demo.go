package print

import (
	"context"
	"fmt"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// demoJobs are the departments' ordinary print jobs of the demo office:
// who sends what, and how far the print room (printer) has taken it.
var demoJobs = []struct {
	user  string
	in    SendInput
	state string // queued, claimed, printing, done, returned
}{
	{"editor", SendInput{Title: "2026年第一季度政务信息汇编", Copies: 30, Note: "双面印制，左侧装订"}, StateDone},
	{"editor", SendInput{Title: "全省政务信息员培训班讲义", Copies: 60, Urgency: Jiaji, Note: "彩色封面"}, StatePrinting},
	{"staff", SendInput{Title: "2026年春节期间值班表", Copies: 10}, StateQueued},
	{"chuzhang", SendInput{Title: "秘书二处处务会议材料", Copies: 15, Classification: classification.Mimi, Room: "jiguan-yinshua"}, StateClaimed},
	{"staff", SendInput{Title: "全省政务公开工作会议签到表", Copies: 5, Note: "A3 横版"}, StateReturned},
}

// demoPDF is a one-page PDF carrying title: the demo's uploaded files.
func demoPDF(title string) []byte {
	return fmt.Appendf(nil, "%%PDF-1.4\n%% %s\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"+
		"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"+
		"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"+
		"trailer<</Root 1 0 R>>\n%%%%EOF\n", title)
}

// SeedDemo makes the print room's demo through the service's own calls,
// as the demo accounts whose work it is: the jobs of the demo documents at
// 印制 (officialdoc's demo; the printer has claimed and proofread the
// first), and ordinary jobs in every state. It returns how many jobs it
// wrote, and does nothing once any job exists.
func (s *Service) SeedDemo(ctx context.Context, as func(ctx context.Context, username string) (*auth.Principal, error)) (int, error) {
	empty, err := s.jobs.Empty(ctx)
	if err != nil || !empty {
		return 0, err
	}
	if err := s.Sync(ctx); err != nil { // seeded before Start: the documents now at 印制
		return 0, err
	}
	printer, err := as(ctx, "printer")
	if err != nil {
		return 0, err
	}
	op := records.Actor{P: printer, IP: "demo"}
	n := 0
	docs, err := s.documentJobs(ctx)
	if err != nil {
		return 0, err
	}
	n += len(docs)
	if len(docs) > 0 {
		if _, err := s.Claim(ctx, op, docs[0]); err != nil {
			return n, err
		}
		if _, err := s.Proofread(ctx, op, docs[0], ProofreadInput{OK: true, Note: "文字、版式核对无误"}); err != nil {
			return n, err
		}
	}
	for _, d := range demoJobs {
		p, err := as(ctx, d.user)
		if err != nil {
			return n, err
		}
		in := d.in
		if in.File, err = s.files.Add(ctx, p.UserID, in.Title+".pdf", demoPDF(in.Title)); err != nil {
			return n, err
		}
		v, err := s.Send(ctx, records.Actor{P: p, IP: "demo"}, in)
		if err != nil {
			return n, err
		}
		n++
		id := v.Document.ID
		steps := map[string][]func() (View, error){
			StateClaimed:  {func() (View, error) { return s.Claim(ctx, op, id) }},
			StatePrinting: {func() (View, error) { return s.Claim(ctx, op, id) }, func() (View, error) { return s.Print(ctx, op, id) }},
			StateDone: {func() (View, error) { return s.Claim(ctx, op, id) }, func() (View, error) { return s.Print(ctx, op, id) },
				func() (View, error) { return s.Done(ctx, op, id, NoteInput{Note: "已交处室领取"}) }},
			StateReturned: {func() (View, error) { return s.Claim(ctx, op, id) }, func() (View, error) {
				return s.Proofread(ctx, op, id, ProofreadInput{OK: false, Note: "文件第2页缺失，请补齐后重新发送"})
			}},
		}[d.state]
		for _, step := range steps {
			if _, err := step(); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// documentJobs are the ids of the jobs the intake has made so far (the
// only jobs before the demo's ordinary ones).
func (s *Service) documentJobs(ctx context.Context) ([]string, error) {
	docs, err := s.store.Scan(ctx, Collection, "", 1000)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range docs {
		out = append(out, d.ID)
	}
	return out, nil
}
