package content

import (
	"time"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
	"zhengwu/search/index"
	"zhengwu/shared/richtext"
	"zhengwu/shared/store"
)

// itemOf renders edition e of r as what readers get. ok is false when
// there is nothing to show (never published and no edition given).
func (s *Service) itemOf(r record, e *Edition) (item.Item, bool) {
	if e == nil {
		if r.Live != StateGone {
			return item.Item{}, false
		}
		e = &Edition{}
	}
	f := e.Fields
	vis := s.channels.Visibility(r.Channel)
	it := item.Item{
		ID: r.ID, Type: r.Type, Channel: r.Channel, Department: r.Department,
		Path:       r.Channel + "/" + r.ID,
		Visibility: vis,
		Title:      f.Title, Subtitle: f.Subtitle, Summary: f.Summary,
		Body: f.Body, BodyText: richtext.PlainText(f.Body),
		Source: f.Source, Author: f.Author, Cover: f.Cover,
		Attachments: f.Attachments,
		Edition:     e.Number, ChangeNote: e.ChangeNote,
		Status:     r.Live,
		Withdrawal: r.Withdrawal,
		RedirectTo: r.RedirectTo,
	}
	if r.Live == "" {
		it.Status = item.StatusPublished // a preview renders as if published
	}
	if f.Links != nil {
		it.Links = item.Links{Amends: f.Links.Amends, Repeals: f.Links.Repeals, Interprets: f.Links.Interprets}
	}
	switch r.Type {
	case channel.TypePolicy:
		p := &item.Policy{DocNumber: f.DocNumber, Issuers: f.Issuers, Genre: f.Genre, Validity: f.Validity}
		p.WrittenAt, _ = ParseDate(f.WrittenAt)
		p.EffectiveAt = optDate(f.EffectiveAt)
		p.ExpiresAt = optDate(f.ExpiresAt)
		it.Policy = p
	case channel.TypeSpeech, channel.TypeActivity:
		d, _ := ParseDate(f.Date)
		it.Leader = &item.Leader{Name: f.Leader, Occasion: f.Occasion, Date: d, Place: f.Place}
	case channel.TypeReport:
		it.Report = &item.Report{Series: f.Series, Issue: f.Issue, Authors: f.Authors}
	}
	if r.FirstPublishedAt != nil {
		it.PublishedAt = *r.FirstPublishedAt
	}
	if e.PublishedAt != nil {
		it.UpdatedAt = *e.PublishedAt
	}
	if r.Live == StateWithdrawn && r.Withdrawal != nil && r.Withdrawal.At.After(it.UpdatedAt) {
		it.UpdatedAt = r.Withdrawal.At
	}
	// The next scheduled change readers will see: a withdrawal, or a newer
	// edition going live.
	var next *time.Time
	for _, t := range []*time.Time{r.WithdrawAt, r.PublishAt} {
		if t != nil && (next == nil || t.Before(*next)) {
			v := *t
			next = &v
		}
	}
	if r.Live == StatePublished || r.Live == StateWithdrawn {
		it.NextChangeAt = next
	}
	if r.Live == StateGone {
		// A removed item keeps only what a 410 page needs.
		it = item.Item{ID: r.ID, Type: r.Type, Channel: r.Channel, Department: r.Department,
			Path: it.Path, Visibility: vis, Title: it.Title, Status: item.StatusGone,
			Edition: it.Edition, PublishedAt: it.PublishedAt, UpdatedAt: r.UpdatedAt}
	}
	if r.Source != nil && r.Live == StateGone {
		it.Title = "" // an import the gateway took back shows nothing (imported.go)
		if r.Source.Withdrawn && r.Withdrawal != nil {
			// Readers learn that it was withdrawn and when, in words fit
			// for the public: the gateway's reason names its rule (a
			// reclassification, say) and stays with the editors.
			it.Withdrawal = &item.Notice{Reason: ImportWithdrawnNotice, At: r.Withdrawal.At}
		}
	}
	return it, true
}

func optDate(s string) *time.Time {
	if s == "" {
		return nil
	}
	t, err := ParseDate(s)
	if err != nil {
		return nil
	}
	return &t
}

// indexMapping is the management index: what the document list, its
// filters and the review queue need.
func indexMapping() *index.Mapping {
	return index.NewMapping().
		Keyword("type").Keyword("channel").Keyword("department").Keyword("state").
		Keyword("step").Keyword("live").Keyword("titleKey").Keyword("docNumber").
		Keyword("queue").Keyword("barred").Keyword("submittedBy").Keyword("createdBy").
		Text("text", "").
		Numeric("editions").
		Datetime("updatedAt").Datetime("createdAt").
		Datetime("duePublishAt").Datetime("dueWithdrawAt")
}

// project turns a stored document into its management-index entry.
func project(d store.Doc) (any, bool) {
	var r record
	if err := d.Decode(&r); err != nil {
		return nil, false
	}
	m := map[string]any{
		"type": r.Type, "channel": r.Channel, "department": r.Department, "state": r.State,
		"titleKey": r.Title, "text": r.Title, "editions": float64(r.Editions),
		"updatedAt": r.UpdatedAt, "createdAt": r.CreatedAt, "createdBy": r.CreatedBy,
	}
	if r.Step != "" {
		m["step"] = r.Step
	}
	if r.Live != "" {
		m["live"] = r.Live
	}
	e := r.Draft
	if e == nil {
		e = r.Pub
	}
	if e != nil {
		if e.Fields.DocNumber != "" {
			m["docNumber"] = e.Fields.DocNumber
			m["text"] = r.Title + " " + e.Fields.DocNumber
		}
		if e.SubmittedBy != "" {
			m["submittedBy"] = e.SubmittedBy
		}
	}
	if r.State == StateInReview && r.Draft != nil {
		m["queue"] = r.Queue
		if len(r.Barred) > 0 {
			m["barred"] = r.Barred
		}
	}
	if r.PublishAt != nil {
		m["duePublishAt"] = *r.PublishAt
	}
	if r.WithdrawAt != nil {
		m["dueWithdrawAt"] = *r.WithdrawAt
	}
	return m, true
}
