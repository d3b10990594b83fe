package chat

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"slices"
	"strings"

	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/records"
	"zhengwu/search/feed"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Person is what chats need to know of a member: a name for the chat's
// list, a clearance for a classified group, and whether the account is
// disabled.
type Person struct {
	ID        string
	Name      string
	Clearance classification.Level
	Disabled  bool
}

// People looks a person up by user id (store.ErrNotFound if none).
type People func(ctx context.Context, id string) (Person, error)

// Deps is what chats need from the process.
type Deps struct {
	records.Deps
	People People // required
	// Media is a stored file's size, or ok=false when there is no such
	// file; nil refuses file messages.
	Media func(ctx context.Context, id string) (size int64, ok bool, err error)
	// Notify tells a person of a chat they were added to (nil: nobody).
	Notify notify.Sender
}

// Service is chats and their messages. Chats are a records collection
// (audited, listed from an index); messages are written straight to the
// store, numbered per chat, for speed: a message is a communication, not
// a change of a record (membership changes are audited).
type Service struct {
	*feed.ListIndex
	chats *records.Collection[Chat]
	d     Deps
}

// New opens the chats collection and its list index; Start feeds it.
func New(d Deps) (*Service, error) {
	if d.People == nil {
		return nil, errors.New("chat: People is required")
	}
	c, err := records.Open(records.Config[Chat]{Deps: d.Deps, Collection: Collection,
		Noun: records.Noun{Zh: "会话", En: "chat"}, Access: AccessOf,
		Mapping: records.MappingOf[Chat]("memberNames")})
	if err != nil {
		return nil, err
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	return &Service{ListIndex: c.ListIndex, chats: c, d: d}, nil
}

// View is a chat with its version and feed sequence.
type View = records.View[Chat]

// Get returns the chat if p is a member of it (404 otherwise).
func (s *Service) Get(ctx context.Context, p *auth.Principal, id string) (View, error) {
	return records.ViewOf(s.chats.Get(ctx, p, id))
}

// DirectInput opens the one-to-one chat with a person.
type DirectInput struct {
	UserID string `json:"userId" validate:"required,max=64" doc:"对方的用户 id"`
}

// GroupInput creates a group.
type GroupInput struct {
	Name           string               `json:"name" validate:"required,max=60,nocontrol" doc:"群名称"`
	Members        []string             `json:"members" validate:"required,min=1,max=500,dive,required,max=64" doc:"成员用户 id（创建者自动加入）"`
	Classification classification.Level `json:"classification" validate:"omitempty,classification" doc:"群的密级上限，缺省为非密"`
}

// MembersInput adds people to a group or removes them.
type MembersInput struct {
	Add    []string `json:"add" validate:"max=500,dive,required,max=64"`
	Remove []string `json:"remove" validate:"max=500,dive,required,max=64"`
}

// DirectID is the id of the one chat between two people, whoever opens it.
func DirectID(a, b string) string {
	if a > b {
		a, b = b, a
	}
	h := sha256.Sum256([]byte(a + "\x00" + b))
	return "d" + hex.EncodeToString(h[:12])
}

// Direct opens (creating it the first time) the one-to-one chat between
// the caller and another person.
func (s *Service) Direct(ctx context.Context, a records.Actor, in DirectInput) (View, error) {
	if in.UserID == a.P.UserID {
		return View{}, problem.Invalid(problem.Field("userId", "不能与自己发起会话", "you cannot chat with yourself"))
	}
	id := DirectID(a.P.UserID, in.UserID)
	if v, err := s.Get(ctx, a.P, id); err == nil {
		return v, nil
	}
	other, err := s.person(ctx, "userId", in.UserID)
	if err != nil {
		return View{}, err
	}
	now := s.chats.Now()
	v, err := records.ViewOf(s.chats.Create(ctx, a, "chat.direct.create", Chat{ID: id, Kind: KindDirect, Department: first(a.P.Departments), Classification: classification.Feimi,
		Members:     []string{a.P.UserID, other.ID},
		MemberNames: map[string]string{a.P.UserID: a.P.Name, other.ID: other.Name}, CreatedAt: now, UpdatedAt: now},
		map[string]any{"with": other.ID}))
	if errors.Is(err, store.ErrConflict) { // opened by the other at the same moment
		return s.Get(ctx, a.P, id)
	}
	return v, err
}

// person looks a person up for field, as a problem naming it.
func (s *Service) person(ctx context.Context, field, id string) (Person, error) {
	p, err := s.d.People(ctx, id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) || (err == nil && p.Disabled) {
		return Person{}, problem.Invalid(problem.Field(field, "用户不存在或已停用："+id, "no such active user: "+id))
	}
	return p, err
}

// members looks up people to add to a group of level: each must exist,
// be active and hold the clearance.
func (s *Service) members(ctx context.Context, field string, ids []string, level classification.Level) ([]Person, error) {
	var out []Person
	var below []string
	for _, id := range ids {
		p, err := s.person(ctx, field, id)
		if err != nil {
			return nil, err
		}
		if !p.Clearance.Covers(level) {
			below = append(below, p.Name)
		}
		out = append(out, p)
	}
	if len(below) > 0 {
		return nil, problem.Invalid(problem.Field(field, "以下人员的密级不足以加入该群："+strings.Join(below, "、"),
			"these people lack the clearance for the group: "+strings.Join(below, ", ")))
	}
	return out, nil
}

// CreateGroup creates a group owned by the caller, who is a member.
func (s *Service) CreateGroup(ctx context.Context, a records.Actor, in GroupInput) (View, error) {
	level := in.Classification
	if level == "" {
		level = classification.Feimi
	}
	if !a.P.MayRead(level) {
		return View{}, problem.Invalid(problem.Field("classification", "不能创建高于本人密级的群", "above your own clearance"))
	}
	ids := unique(append([]string{a.P.UserID}, in.Members...))
	if len(ids) > MaxMembers {
		return View{}, problem.Invalid(problem.Field("members", "群成员不能超过500人", "at most 500 members"))
	}
	people, err := s.members(ctx, "members", ids[1:], level)
	if err != nil {
		return View{}, err
	}
	names := map[string]string{a.P.UserID: a.P.Name}
	for _, p := range people {
		names[p.ID] = p.Name
	}
	now := s.chats.Now()
	v, err := records.ViewOf(s.chats.Create(ctx, a, "chat.group.create", Chat{Kind: KindGroup, Name: strings.TrimSpace(in.Name), Department: first(a.P.Departments),
		Owner: a.P.UserID, Members: ids, MemberNames: names, Classification: level, CreatedAt: now, UpdatedAt: now},
		map[string]any{"name": in.Name, "members": ids, "classification": level}))
	if err != nil {
		return View{}, err
	}
	s.system(ctx, a, v.Document.ID, a.P.Name+" 创建了群聊“"+v.Document.Name+"”")
	s.tell(ctx, a, v.Document, ids[1:])
	return v, nil
}

// ChangeMembers adds and removes members of a group: the owner does;
// any member may leave (remove themself). The owner cannot be removed.
// The change is audited and told in the chat.
func (s *Service) ChangeMembers(ctx context.Context, a records.Actor, id string, in MembersInput) (View, error) {
	var added, removed []string
	v, err := records.ViewOf(s.chats.Step(ctx, a, "chat.group.members", id, func(c *Chat) (map[string]any, error) {
		added, removed = nil, nil
		leaving := len(in.Add) == 0 && len(in.Remove) == 1 && in.Remove[0] == a.P.UserID
		switch {
		case c.Kind != KindGroup:
			return nil, problem.InvalidState("单聊", c.Kind)
		case c.Owner != a.P.UserID && !leaving:
			return nil, problem.New(403, problem.CodeForbidden, "只有群主可以调整成员", "only the group's owner changes its members")
		case slices.Contains(in.Remove, c.Owner):
			return nil, problem.Invalid(problem.Field("remove", "群主不能被移出群聊", "the owner cannot be removed"))
		}
		people, err := s.members(ctx, "add", unique(in.Add), c.Classification)
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			if !slices.Contains(c.Members, p.ID) {
				c.Members = append(c.Members, p.ID)
				c.MemberNames[p.ID] = p.Name
				added = append(added, p.ID)
			}
		}
		for _, r := range unique(in.Remove) {
			if i := slices.Index(c.Members, r); i >= 0 {
				c.Members = slices.Delete(c.Members, i, i+1)
				removed = append(removed, r)
			}
		}
		if len(c.Members) > MaxMembers {
			return nil, problem.Invalid(problem.Field("add", "群成员不能超过500人", "at most 500 members"))
		}
		c.UpdatedAt = s.chats.Now()
		return map[string]any{"added": added, "removed": removed}, nil
	}))
	if err != nil {
		return View{}, err
	}
	names := func(ids []string) string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = v.Document.MemberNames[id]
		}
		return strings.Join(out, "、")
	}
	if len(added) > 0 {
		s.system(ctx, a, id, a.P.Name+" 邀请 "+names(added)+" 加入群聊")
		s.tell(ctx, a, v.Document, added)
	}
	if len(removed) == 1 && removed[0] == a.P.UserID {
		s.system(ctx, a, id, a.P.Name+" 退出了群聊")
	} else if len(removed) > 0 {
		s.system(ctx, a, id, a.P.Name+" 将 "+names(removed)+" 移出群聊")
	}
	return v, nil
}

// tell notifies people added to a group (after the commit; an error is
// logged, never returned).
func (s *Service) tell(ctx context.Context, a records.Actor, c Chat, to []string) {
	if s.d.Notify == nil || len(to) == 0 {
		return
	}
	err := s.d.Notify.Send(ctx, notify.Notice{Recipients: to, Kind: notify.KindSystem,
		Title: a.P.Name + " 邀请您加入群聊“" + c.Name + "”", Link: "/office/messages/" + c.ID,
		Key: "chat:" + c.ID + ":joined", Classification: c.Classification, Actor: a.P.UserID})
	if err != nil {
		s.d.Log.Error("chat notice failed", "chat", c.ID, "err", err)
	}
}

func unique(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func first(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}
