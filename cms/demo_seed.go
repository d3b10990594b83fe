package cms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"zhengwu/cms/content"
	"zhengwu/cms/demo"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
)

// demoCollection maps each demo key to the document made for it, so that a
// second seeding skips what exists and links resolve to real ids.
const demoCollection = "cms_demo"

// The demo content is written by three stand-in principals so that it goes
// through the same review steps as any item (no one approves their own).
var (
	demoEditor = &auth.Principal{UserID: "demo-editor", Username: "demo-editor", Name: "演示编辑", Clearance: classification.Feimi,
		Perms: map[string][]string{"portal.item.edit": {auth.OfficeWide}}}
	demoDeptReviewer = &auth.Principal{UserID: "demo-reviewer-1", Username: "demo-reviewer-1", Name: "演示初审", Clearance: classification.Feimi,
		Perms: map[string][]string{"portal.item.review": {auth.OfficeWide}}}
	demoPublisher = &auth.Principal{UserID: "demo-reviewer-2", Username: "demo-reviewer-2", Name: "演示终审", Clearance: classification.Feimi,
		Perms: map[string][]string{"portal.item.review": {auth.OfficeWide}, "portal.item.publish": {auth.OfficeWide}}}
)

// SeedDemo publishes the demo content that is not there yet and returns how
// many items it added. Call it before Start: the indexes catch up then.
func (s *Service) SeedDemo(ctx context.Context) (int, error) {
	defer s.clock.set(time.Time{})
	ids := map[string]string{}
	added := 0
	for _, d := range demo.Drafts(s.clock.base()) {
		ref, _, err := store.Load[struct{ ID string }](ctx, s.deps.Store, demoCollection, d.Key)
		if err == nil {
			ids[d.Key] = ref.ID
			continue
		}
		if !errors.Is(err, store.ErrNotFound) {
			return added, err
		}
		id, err := s.seedOne(ctx, d, ids)
		if err != nil {
			return added, fmt.Errorf("demo item %s: %w", d.Key, err)
		}
		ids[d.Key] = id
		if _, err := store.Save(ctx, s.deps.Store, demoCollection, d.Key, map[string]string{"ID": id}, 0); err != nil {
			return added, err
		}
		added++
	}
	if ok, err := s.seedDemoAttachments(ctx, s.clock.base()); err != nil {
		return added, err
	} else if ok {
		added++
	}
	return added, nil
}

func (s *Service) seedOne(ctx context.Context, d demo.Draft, ids map[string]string) (string, error) {
	s.clock.set(d.At.Add(-2 * time.Hour))
	raw := d.Fields
	if len(d.LinkKeys) > 0 {
		links := map[string][]string{}
		for kind, keys := range d.LinkKeys {
			for _, k := range keys {
				if id, ok := ids[k]; ok {
					links[kind] = append(links[kind], id)
				}
			}
		}
		raw["links"] = links
	}
	var fields content.Fields
	data, _ := json.Marshal(raw)
	if err := json.Unmarshal(data, &fields); err != nil {
		return "", err
	}
	v, err := s.Content.Create(ctx, demoEditor, content.CreateInput{Type: d.Type, Channel: d.Channel,
		Department: d.Department, Fields: fields, ChangeNote: "首次发布"})
	if err != nil {
		return "", err
	}
	if v, err = s.Content.Submit(ctx, demoEditor, v.ID, content.VersionInput{Version: v.Version}); err != nil {
		return "", err
	}
	s.clock.set(d.At.Add(-time.Hour))
	if v, err = s.Content.Approve(ctx, demoDeptReviewer, v.ID, content.ApproveInput{Version: v.Version, Comment: "同意"}); err != nil {
		return "", err
	}
	s.clock.set(d.At)
	if v, err = s.Content.Approve(ctx, demoPublisher, v.ID, content.ApproveInput{Version: v.Version, Comment: "同意发布"}); err != nil {
		return "", err
	}
	if d.Withdraw != "" {
		s.clock.set(d.At.Add(24 * time.Hour))
		if _, err = s.Content.Withdraw(ctx, demoPublisher, v.ID, content.WithdrawInput{Version: v.Version, Reason: d.Withdraw}); err != nil {
			return "", err
		}
	}
	return v.ID, nil
}
