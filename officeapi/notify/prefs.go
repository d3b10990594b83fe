package notify

import (
	"context"
	"errors"
	"slices"
	"time"

	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// PrefsCollection holds one Preferences per user, by user id.
const PrefsCollection = "notification_prefs"

// Preferences are the kinds a person has switched off. A kind switched
// off is not stored at all (Send skips it); task and urge cannot be.
type Preferences struct {
	Off       []string  `json:"off"`
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
}

// PrefsView is a person's preferences with every kind spelled out, for
// the preferences page.
type PrefsView struct {
	Kinds []KindPref `json:"kinds"`
}

// KindPref is one kind on the preferences page.
type KindPref struct {
	Kind      string `json:"kind"`
	Label     string `json:"label"`
	On        bool   `json:"on"`
	Mandatory bool   `json:"mandatory"` // cannot be switched off
}

// PrefsInput switches kinds on and off: the kinds listed in Off are off,
// every other kind on.
type PrefsInput struct {
	Off []string `json:"off" validate:"max=16,dive,oneof=task urge meeting schedule mail mention system"`
}

// Labels are the kinds as the reader sees them.
var Labels = map[string]string{KindTask: "待办公文", KindUrge: "催办与超期", KindMeeting: "会议通知",
	KindSchedule: "领导活动安排", KindMail: "邮件", KindMention: "提及我的", KindSystem: "系统消息"}

func (s *Service) prefsOf(ctx context.Context, userID string) (Preferences, error) {
	p, _, err := store.Load[Preferences](ctx, s.store, PrefsCollection, userID)
	if errors.Is(err, store.ErrNotFound) {
		return Preferences{}, nil
	}
	return p, err
}

func view(p Preferences) PrefsView {
	out := PrefsView{Kinds: make([]KindPref, 0, len(Kinds))}
	for _, k := range Kinds {
		out.Kinds = append(out.Kinds, KindPref{Kind: k, Label: Labels[k], On: !slices.Contains(p.Off, k), Mandatory: Mandatory(k)})
	}
	return out
}

// Preferences are p's preferences.
func (s *Service) Preferences(ctx context.Context, p *auth.Principal) (PrefsView, error) {
	prefs, err := s.prefsOf(ctx, p.UserID)
	return view(prefs), err
}

// SetPreferences switches p's kinds: Off off, the rest on. Task and urge
// cannot be switched off (400 naming "off").
func (s *Service) SetPreferences(ctx context.Context, p *auth.Principal, ip string, in PrefsInput) (PrefsView, error) {
	off := append([]string{}, slices.Compact(slices.Sorted(slices.Values(in.Off)))...)
	for _, k := range off {
		if Mandatory(k) {
			return PrefsView{}, problem.Invalid(problem.Field("off", "待办公文与催办提醒不能关闭", "task and urge notices cannot be switched off"))
		}
	}
	prefs := Preferences{Off: off, UpdatedAt: s.notes.Now()}
	data, err := store.Encode(prefs)
	if err != nil {
		return PrefsView{}, err
	}
	if _, err := s.trail.Commit(ctx, []store.Write{{Collection: PrefsCollection, ID: p.UserID, Data: data, ExpectVersion: store.AnyVersion}},
		audit.Event{Actor: p.UserID, ActorIP: ip, Action: "notify.preferences", Target: PrefsCollection + "/" + p.UserID,
			Outcome: audit.Success, Details: map[string]any{"off": off}}); err != nil {
		return PrefsView{}, err
	}
	return view(prefs), nil
}
