package forum

import (
	"context"

	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
)

// Contribute puts on a desktop, as to-read, the pinned notices (置顶 on a
// 通知公告 board) the person has not opened yet.
func (s *Service) Contribute(ctx context.Context, p *auth.Principal) (desktop.Contribution, error) {
	var c desktop.Contribution
	pg, err := records.ListAs[Summary](ctx, s.threads, p, records.Query{Sort: "-" + fActivity, Size: 50},
		index.Term("notice", "true"), index.Term("pinned", "true"), index.Term("hidden", "false"))
	if err != nil {
		return c, err
	}
	for _, t := range pg.Items {
		if s.hasRead(ctx, p, t.ID) {
			continue
		}
		c.ToReadTotal++
		if len(c.ToRead) < desktop.Limit {
			at := t.CreatedAt
			e := desktop.Entry{ID: t.ID, Source: "forum", Action: "read", ActionLabel: "论坛公告", Title: t.Title,
				Link: "/office/forum/threads/" + t.ID, Department: t.Department, Classification: t.Classification}
			if at != nil {
				e.At = *at
			}
			c.ToRead = append(c.ToRead, e)
		}
	}
	return c, nil
}
