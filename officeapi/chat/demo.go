package chat

import (
	"context"
	"fmt"

	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// PeopleOf answers People from the identity service.
func PeopleOf(ids *identity.Service) People {
	return func(ctx context.Context, id string) (Person, error) {
		u, err := ids.User(ctx, id)
		if err != nil {
			return Person{}, err
		}
		return Person{ID: u.ID, Name: u.DisplayName, Clearance: u.Clearance, Disabled: u.Disabled}, nil
	}
}

// demoLine is one message of a demo chat: who says what.
type demoLine struct{ who, text string }

// SeedDemo opens the demo chats through the service's own calls, as the
// demo accounts who talk in them: 信息处's group (editor, reviewer,
// director), a one-to-one between 信息处's editor and 秘书二处's staff, and
// one between the director and the editor. It does nothing once any chat
// exists.
func (s *Service) SeedDemo(ctx context.Context, as func(ctx context.Context, username string) (*auth.Principal, error)) (int, error) {
	if empty, err := s.chats.Empty(ctx); err != nil || !empty {
		return 0, err
	}
	who := map[string]*auth.Principal{}
	for _, u := range []string{"editor", "reviewer", "director", "staff", "chuzhang"} {
		p, err := as(ctx, u)
		if err != nil {
			return 0, err
		}
		who[u] = p
	}
	actor := func(u string) records.Actor { return records.Actor{P: who[u], IP: "demo"} }
	n := 0
	talk := func(chatID string, lines []demoLine) error {
		for i, l := range lines {
			if _, err := s.Send(ctx, actor(l.who), SendInput{ChatID: chatID, ClientID: fmt.Sprintf("demo-%s-%d", chatID, i),
				Text: l.text}); err != nil {
				return err
			}
			n++
		}
		return nil
	}
	group, err := s.CreateGroup(ctx, actor("editor"), GroupInput{Name: "信息处工作群",
		Members: []string{who["reviewer"].UserID, who["director"].UserID}, Classification: classification.Feimi})
	if err != nil {
		return n, err
	}
	if err := talk(group.Document.ID, []demoLine{
		{"editor", "各位好，本周政务信息报送截止到周四下午五点。"},
		{"reviewer", "收到。发改委报来的那篇稿子我已经初审完了，数据需要再核一下。"},
		{"director", "数据一定要和统计局口径一致，核完再报。"},
		{"editor", "好的王秘书长，我下午联系发改委信息员。"},
		{"reviewer", "另外，网站“政策解读”栏目周五前要更新两篇。"},
	}); err != nil {
		return n, err
	}
	direct, err := s.Direct(ctx, actor("editor"), DirectInput{UserID: who["staff"].UserID})
	if err != nil {
		return n, err
	}
	if err := talk(direct.Document.ID, []demoLine{
		{"editor", "晓燕，秘书二处上周的会议简报能发我一份吗？"},
		{"staff", "好的，我整理一下，下班前发给您。"},
		{"staff", "已经放到共享文件夹了，文件名是“第12期会议简报”。"},
	}); err != nil {
		return n, err
	}
	boss, err := s.Direct(ctx, actor("director"), DirectInput{UserID: who["editor"].UserID})
	if err != nil {
		return n, err
	}
	if err := talk(boss.Document.ID, []demoLine{
		{"director", "文静，明天上午九点到我办公室谈一下下半年信息工作要点。"},
	}); err != nil {
		return n, err
	}
	// The staff has read what the editor sent; the editor has not yet
	// read the director's note (an unread badge on the demo desktop).
	if _, err := s.MarkRead(ctx, who["staff"], direct.Document.ID, 3); err != nil {
		return n, err
	}
	return n + 3, nil
}
