package video

import (
	"context"

	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
)

// fText is the list index's text field: title, speaker, description.
const fText = "text"

// project is the list index's document of a video: its own fields (the
// default projection) and its text.
func project(v *Video) map[string]any {
	return map[string]any{"title": v.Title, "description": v.Description, "category": v.Category,
		"speaker": v.Speaker, "recordedOn": v.RecordedOn, "classification": v.Classification,
		"audience": v.Audience, "departments": v.Departments, "people": v.People, "department": v.Department,
		"mediaId": v.MediaID, "type": v.Type, "size": float64(v.Size), "posterId": v.PosterID,
		"duration": v.Duration, "posterNote": v.PosterNote, "state": v.State, "uploader": v.Uploader,
		"uploaderName": v.UploaderName, "createdAt": v.CreatedAt, "updatedAt": v.UpdatedAt,
		fText: v.Title + "\n" + v.Speaker + "\n" + v.Category + "\n" + v.Description}
}

// ListQuery is a library request; its tags make it the query parameters.
type ListQuery struct {
	Q        string `query:"q" validate:"max=100" doc:"检索词（标题、主讲人、简介）"`
	Category string `query:"category" validate:"omitempty,oneof=会议录像 培训视频 政策解读 专题讲座 宣传片" doc:"分类"`
	// Withdrawn lists the videos taken off (their managers see them).
	Withdrawn      bool   `query:"withdrawn" doc:"只列已下架的（管理者可见）"`
	Size           int    `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Cursor         string `query:"cursor" validate:"max=512" doc:"游标（上一页的 next）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// List is the library as p may see it, newest first.
func (s *Service) List(ctx context.Context, p *auth.Principal, q ListQuery) (Page, error) {
	state := StatePublished
	if q.Withdrawn {
		state = StateWithdrawn
	}
	f := []index.Filter{index.Term("state", state)}
	if q.Category != "" {
		f = append(f, index.Term("category", q.Category))
	}
	if q.Q != "" {
		f = append(f, index.Match(fText, q.Q))
	}
	return s.videos.List(ctx, p, records.Query{Sort: "-createdAt", Size: q.Size, Cursor: q.Cursor,
		ConsistentWith: q.ConsistentWith}, f...)
}
