package mail

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// fields are To, Cc and Bcc of a message, by their JSON names.
func fields(m *Message) []struct {
	name  string
	lines []Address
} {
	return []struct {
		name  string
		lines []Address
	}{{"to", m.To}, {"cc", m.Cc}, {"bcc", m.Bcc}}
}

// name checks that each address names one person, department or group
// that exists, and fills in its name (what the sender saw is kept with
// the mail).
func (s *Service) name(ctx context.Context, m *Message) error {
	var bad []problem.FieldError
	for _, f := range fields(m) {
		for i := range f.lines {
			a := &f.lines[i]
			where := fmt.Sprintf("%s[%d]", f.name, i)
			set := 0
			for _, v := range []string{a.UserID, a.DepartmentID, a.GroupID} {
				if v != "" {
					set++
				}
			}
			if set != 1 {
				bad = append(bad, problem.Field(where, "每个收件地址须是一个人员、处室或群组", "name exactly one of userId, departmentId, groupId"))
				continue
			}
			switch {
			case a.UserID != "":
				u, err := s.d.Directory.User(ctx, a.UserID)
				if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) || err == nil && u.Disabled {
					bad = append(bad, problem.Field(where, "收件人不存在或已停用", "no such user"))
					continue
				} else if err != nil {
					return err
				}
				a.Name = u.DisplayName
			case a.DepartmentID != "":
				d, err := s.departmentName(ctx, a.DepartmentID)
				if err != nil {
					return err
				}
				if d == "" {
					bad = append(bad, problem.Field(where, "处室不存在", "no such department"))
					continue
				}
				a.Name = d
			default:
				g, ok, err := s.group(ctx, a.GroupID)
				if err != nil {
					return err
				}
				if !ok || (g.Owner != "" && g.Owner != m.Sender) {
					bad = append(bad, problem.Field(where, "群组不存在", "no such group"))
					continue
				}
				a.Name = g.Name
			}
		}
	}
	if len(bad) > 0 {
		return problem.Invalid(bad...)
	}
	return nil
}

// departmentName is the name of a department ("" when there is none).
func (s *Service) departmentName(ctx context.Context, id string) (string, error) {
	d, err := s.d.Directory.Department(ctx, id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return "", nil
	}
	return d.Name, err
}

// expand turns the addresses into the people the mail goes to, each once
// (To before Cc before Bcc), the sender left out, and refuses it when one
// of them may not hold its 密级: the problem names the field and the people.
func (s *Service) expand(ctx context.Context, sender *auth.Principal, m *Message) error {
	people, err := s.d.Directory.Directory(ctx)
	if err != nil {
		return err
	}
	seen := map[string]bool{sender.UserID: true}
	var bad []problem.FieldError
	for _, f := range fields(m) {
		var ids []string
		for _, a := range f.lines {
			switch {
			case a.UserID != "":
				ids = append(ids, a.UserID)
			case a.DepartmentID != "":
				for _, p := range people {
					if slices.Contains(p.DepartmentIDs, a.DepartmentID) {
						ids = append(ids, p.ID)
					}
				}
			default:
				g, _, err := s.group(ctx, a.GroupID)
				if err != nil {
					return err
				}
				ids = append(ids, g.Members...)
			}
		}
		var low []string
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			u, err := s.d.Directory.User(ctx, id)
			if errors.Is(err, store.ErrNotFound) || err == nil && u.Disabled {
				continue // a group member since disabled or removed
			}
			if err != nil {
				return err
			}
			if !u.Clearance.Covers(m.Classification) {
				low = append(low, u.DisplayName)
				continue
			}
			m.Recipients = append(m.Recipients, Recipient{UserID: id, Name: u.DisplayName, Field: f.name})
		}
		if len(low) > 0 {
			bad = append(bad, problem.Field(f.name,
				fmt.Sprintf("以下收件人的涉密等级低于邮件密级（%s）：%s", m.Classification, strings.Join(low, "、")),
				fmt.Sprintf("these recipients are not cleared for %s: %s", m.Classification, strings.Join(low, ", "))))
		}
	}
	if len(bad) > 0 {
		return problem.Invalid(bad...)
	}
	if len(m.Recipients) == 0 {
		return problem.Invalid(problem.Field("to", "请至少填写一位收件人（本人除外）", "at least one recipient other than yourself"))
	}
	return nil
}
