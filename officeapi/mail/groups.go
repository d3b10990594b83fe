package mail

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"zhengwu/officeapi/records"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// officeGroups is the id prefix of the office-wide groups.
const officeGroups = "office."

func collator() *collate.Collator { return collate.New(language.Chinese) }

// GroupInput is a distribution list being saved. Office makes it
// office-wide (mail.groups holders only).
type GroupInput struct {
	Name    string   `json:"name" validate:"required,max=50,nocontrol"`
	Members []string `json:"members" validate:"required,min=1,max=500,dive,required,max=64"`
	Office  bool     `json:"office"`
}

// Groups lists the office-wide groups, then p's own, each by name.
func (s *Service) Groups(ctx context.Context, p *auth.Principal) ([]Group, error) {
	office, err := store.LoadPrefix[Group](ctx, s.d.Store, Groups, officeGroups)
	if err != nil {
		return nil, err
	}
	own, err := store.LoadPrefix[Group](ctx, s.d.Store, Groups, p.UserID+".")
	if err != nil {
		return nil, err
	}
	c := collator()
	byName := func(a, b Group) int { return c.CompareString(a.Name, b.Name) }
	slices.SortFunc(office, byName)
	slices.SortFunc(own, byName)
	return append(office, own...), nil
}

// group loads a group by id (false: none).
func (s *Service) group(ctx context.Context, id string) (Group, bool, error) {
	g, _, err := store.Load[Group](ctx, s.d.Store, Groups, id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return Group{}, false, nil
	}
	return g, err == nil, err
}

// SaveGroup creates a group (id "") or replaces one p keeps.
func (s *Service) SaveGroup(ctx context.Context, a records.Actor, id string, in GroupInput) (Group, error) {
	g := Group{ID: id, Name: strings.TrimSpace(in.Name), UpdatedAt: s.entries.Now()}
	if id == "" {
		g.ID = a.P.UserID + "." + uuid.NewString()
		if in.Office {
			g.ID = officeGroups + uuid.NewString()
		}
	}
	version := int64(0)
	if id != "" {
		old, v, err := store.Load[Group](ctx, s.d.Store, Groups, id)
		if err != nil || !s.keeps(a.P, old) {
			return Group{}, problem.NotFound("群组不存在", "no such group")
		}
		version = v
	}
	if strings.HasPrefix(g.ID, officeGroups) && !a.P.Can(auth.PermMailGroups, auth.OfficeWide) {
		return Group{}, s.entries.Refused(ctx, a, "mail.group.save", Groups+"/"+g.ID, problem.Forbidden())
	}
	if !strings.HasPrefix(g.ID, officeGroups) {
		g.Owner = a.P.UserID
	}
	for i, m := range slices.Compact(slices.Sorted(slices.Values(in.Members))) {
		u, err := s.d.Directory.User(ctx, m)
		if err != nil || u.Disabled {
			return Group{}, problem.Invalid(problem.Field(fmt.Sprintf("members[%d]", i), "成员不存在或已停用", "no such user"))
		}
		g.Members, g.MemberNames = append(g.Members, m), append(g.MemberNames, u.DisplayName)
	}
	_, err := s.d.Trail.Commit(ctx, []store.Write{s.put(Groups, g.ID, g, version)}, audit.Event{Actor: a.P.UserID, ActorIP: a.IP,
		Action: "mail.group.save", Target: Groups + "/" + g.ID, Outcome: audit.Success, Details: map[string]any{"members": len(g.Members)}})
	return g, err
}

// keeps: p keeps their own groups, mail.groups holders the office's.
func (s *Service) keeps(p *auth.Principal, g Group) bool {
	if g.Owner != "" {
		return g.Owner == p.UserID
	}
	return p.Can(auth.PermMailGroups, auth.OfficeWide)
}

// FolderInput names a custom folder.
type FolderInput struct {
	Name string `json:"name" validate:"required,max=30,nocontrol"`
}

// CreateFolder adds a custom folder to p's mailbox.
func (s *Service) CreateFolder(ctx context.Context, a records.Actor, in FolderInput) (Folder, error) {
	name := strings.TrimSpace(in.Name)
	for _, f := range systemFolders {
		if f.Name == name {
			return Folder{}, problem.Invalid(problem.Field("name", "与系统文件夹重名", "a system folder has that name"))
		}
	}
	f := Folder{ID: a.P.UserID + "." + uuid.NewString()[:8], Owner: a.P.UserID, Name: name}
	_, err := s.d.Trail.Commit(ctx, []store.Write{s.put(Folders, f.ID, f, 0)}, audit.Event{Actor: a.P.UserID, ActorIP: a.IP,
		Action: "mail.folder.create", Target: Folders + "/" + f.ID, Outcome: audit.Success})
	f.Owner = ""
	return f, err
}

// folderExists: a system folder one may move into, or p's own.
func (s *Service) folderExists(ctx context.Context, p *auth.Principal, id string) error {
	if id == Inbox || id == Sent {
		return nil
	}
	if strings.HasPrefix(id, p.UserID+".") {
		if _, _, err := store.Load[Folder](ctx, s.d.Store, Folders, id); err == nil {
			return nil
		}
	}
	return problem.Invalid(problem.Field("folder", "文件夹不存在", "no such folder"))
}
