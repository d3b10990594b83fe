package video

import (
	"context"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// Contribute puts the newest videos p may watch on the desktop, as a panel.
func (s *Service) Contribute(ctx context.Context, p *auth.Principal) (desktop.Contribution, error) {
	page, err := s.List(ctx, p, ListQuery{Size: 5})
	if err != nil {
		return desktop.Contribution{}, err
	}
	pn := desktop.Panel{Key: "video.new", Title: "新上架视频", Link: "/office/videos", Empty: "暂无视频", Total: page.Total}
	for _, v := range page.Items {
		pn.Items = append(pn.Items, desktop.Entry{ID: v.ID, Source: "video", Action: "watch", ActionLabel: v.Category,
			Title: v.Title, Link: Link(v.ID), Department: v.Department, Classification: v.Classification, At: v.CreatedAt})
	}
	return desktop.Contribution{Panels: []desktop.Panel{pn}}, nil
}

// Watches names the collection of videos (desktop.Watcher).
func (s *Service) Watches() []string { return []string{Collection} }

// Audience of a video: whoever may see it (its panel changes for them).
func (s *Service) Audience(_ context.Context, doc store.Doc, found bool) (desktop.Audience, error) {
	if !found {
		return desktop.Audience{}, nil
	}
	var v Video
	if err := doc.Decode(&v); err != nil {
		return desktop.Audience{}, err
	}
	acc := AccessOf(&v)
	return desktop.Audience{Anyone: acc.Allows}, nil
}

// Wait waits until the library's list has applied a change-feed sequence
// (desktop.Consistent).
func (s *Service) Wait(ctx context.Context, consistentWith string) error {
	return s.videos.Wait(ctx, consistentWith)
}
