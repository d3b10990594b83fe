package video

import (
	"bytes"
	"context"
	"embed"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// demoFiles are four-second clips (ffmpeg testsrc with the title drawn,
// WebM, about 40 KB each), so that seeding needs no ffmpeg.
//
//go:embed data/*.webm
var demoFiles embed.FS

// demoVideos are the demo library, uploaded by 信息处's editor.
var demoVideos = []struct {
	file string
	d    Details
}{
	{"meeting.webm", Details{Title: "全省政务工作会议录像", Category: "会议录像", Speaker: "王建国", RecordedOn: "2026-03-12",
		Description: "省政府办公厅全省政务工作会议全程录像，含工作报告与分组讨论总结。", Classification: classification.Feimi, Audience: AudienceOffice}},
	{"training.webm", Details{Title: "公文处理规范培训", Category: "培训视频", Speaker: "张明华", RecordedOn: "2026-04-02",
		Description: "《党政机关公文处理工作条例》要点：公文种类、格式、行文规则与办理流程。", Classification: classification.Feimi,
		Audience: AudienceCustom, Departments: []string{"xinxi", "mishu2", "zonghe"}}},
	{"policy.webm", Details{Title: "政策解读：优化营商环境若干措施", Category: "政策解读", Speaker: "周丽", RecordedOn: "2026-04-20",
		Description: "逐条解读优化营商环境的若干措施，说明适用范围与办理渠道。", Classification: classification.Feimi, Audience: AudienceOffice}},
}

// SeedDemo uploads the demo clips and adds them to the library through the
// service's own calls, as 信息处's editor; it does nothing once any video
// exists.
func (s *Service) SeedDemo(ctx context.Context, as func(ctx context.Context, username string) (*auth.Principal, error)) (int, error) {
	if empty, err := s.videos.Empty(ctx); err != nil || !empty {
		return 0, err
	}
	p, err := as(ctx, "editor")
	if err != nil {
		return 0, err
	}
	a := records.Actor{P: p, IP: "demo"}
	for i, d := range demoVideos {
		b, err := demoFiles.ReadFile("data/" + d.file)
		if err != nil {
			return i, err
		}
		id, err := s.deps.Files.Add(ctx, a, d.d.Title+".webm", bytes.NewReader(b))
		if err != nil {
			return i, err
		}
		if _, err := s.Add(ctx, a, Input{Details: d.d, MediaID: id, Department: "xinxi"}); err != nil {
			return i, err
		}
	}
	return len(demoVideos), nil
}
