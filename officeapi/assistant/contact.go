package assistant

import (
	"cmp"
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Card is what the directory shows of a person beyond the org tree: the
// office phone and room, kept by the system administrator (user.manage),
// and the mobile, kept by the person. Its id is the user's.
type Card struct {
	ID          string    `json:"id"`
	OfficePhone string    `json:"officePhone"`
	Room        string    `json:"room"`
	Mobile      string    `json:"mobile"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// CardInput is a card's new content, at the version read (0: no card yet).
type CardInput struct {
	OfficePhone string `json:"officePhone" validate:"max=30,nocontrol"`
	Room        string `json:"room" validate:"max=50,nocontrol"`
	Mobile      string `json:"mobile" validate:"max=20,nocontrol"`
	Version     int64  `json:"version" validate:"min=0"`
}

// CardAccess: every member of staff reads the directory.
func CardAccess(*Card) auth.Access {
	return auth.Access{Classification: classification.Feimi, Readers: []string{auth.Staff}}
}

// Contact is one person in the directory (通讯录).
type Contact struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Pinyin      string          `json:"pinyin"`   // "shan li ping"
	Initials    string          `json:"initials"` // "slp"
	Departments []DepartmentRef `json:"departments"`
	Posts       []string        `json:"posts"` // the posts' names
	OfficePhone string          `json:"officePhone"`
	Room        string          `json:"room"`
	Mobile      string          `json:"mobile"`
	// Version is the card's (0 before anyone wrote one): what an edit sends.
	Version int64 `json:"version"`
}

// DepartmentRef names a department.
type DepartmentRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ContactQuery searches the directory.
type ContactQuery struct {
	Q          string `query:"q" validate:"max=50,nocontrol" doc:"姓名、全拼、拼音首字母、处室或电话"`
	Department string `query:"department" validate:"max=64,nocontrol" doc:"处室（含下级）"`
}

// ContactList is the directory's answer, in department order, then by
// the pinyin of the names.
type ContactList struct {
	Items []Contact `json:"items"`
	Total int       `json:"total"`
}

// Contacts searches the directory: the enabled members of the departments
// (the three officers belong to none and are never listed), matched by
// name, full pinyin, pinyin initials, department or phone.
func (s *Service) Contacts(ctx context.Context, p *auth.Principal, q ContactQuery) (ContactList, error) {
	all, err := s.directory(ctx)
	if err != nil {
		return ContactList{}, err
	}
	var under map[string]bool
	if q.Department != "" {
		if under = all.subtree(q.Department); len(under) == 0 {
			return ContactList{}, problem.Invalid(problem.Field("department", "处室不存在", "no such department"))
		}
	}
	needle := strings.ToLower(strings.Join(strings.Fields(q.Q), ""))
	out := ContactList{Items: []Contact{}}
	for _, c := range all.people {
		if under != nil && !slices.ContainsFunc(c.Departments, func(d DepartmentRef) bool { return under[d.ID] }) {
			continue
		}
		if needle != "" && !all.matches(c, needle) {
			continue
		}
		out.Items = append(out.Items, c)
	}
	out.Total = len(out.Items)
	return out, nil
}

// Contact is one person's entry (404 for no such person in the directory).
func (s *Service) Contact(ctx context.Context, p *auth.Principal, id string) (Contact, error) {
	all, err := s.directory(ctx)
	if err != nil {
		return Contact{}, err
	}
	if i := slices.IndexFunc(all.people, func(c Contact) bool { return c.ID == id }); i >= 0 {
		return all.people[i], nil
	}
	return Contact{}, problem.NotFound("联系人不存在", "no such contact")
}

var (
	phonePattern  = regexp.MustCompile(`^[0-9+\-() ]*$`)
	mobilePattern = regexp.MustCompile(`^(1[3-9][0-9]{9})?$`)
)

// SaveCard writes a person's phones and room: the person themself changes
// only their mobile; the system administrator (user.manage office-wide)
// changes any of them.
func (s *Service) SaveCard(ctx context.Context, a records.Actor, id string, in CardInput) (Contact, error) {
	if _, err := s.Contact(ctx, a.P, id); err != nil {
		return Contact{}, err
	}
	var fields []problem.FieldError
	if !phonePattern.MatchString(in.OfficePhone) {
		fields = append(fields, problem.Field("officePhone", "办公电话只能包含数字和 - ( ) +", "digits and - ( ) + only"))
	}
	if !mobilePattern.MatchString(strings.TrimSpace(in.Mobile)) {
		fields = append(fields, problem.Field("mobile", "手机号码应为11位数字", "a mobile number has 11 digits"))
	}
	if len(fields) > 0 {
		return Contact{}, problem.Invalid(fields...)
	}
	old, doc, err := s.cards.Get(ctx, a.P, id)
	if pe := problem.As(err); pe != nil && pe.Status == 404 {
		old, doc, err = Card{ID: id}, store.Doc{}, nil
	}
	if err != nil {
		return Contact{}, err
	}
	next := Card{ID: id, OfficePhone: strings.TrimSpace(in.OfficePhone), Room: strings.TrimSpace(in.Room),
		Mobile: strings.TrimSpace(in.Mobile), UpdatedAt: s.cards.Now()}
	admin := a.P.Can(auth.PermUserManage, auth.OfficeWide)
	if !admin && (a.P.UserID != id || next.OfficePhone != old.OfficePhone || next.Room != old.Room) {
		return Contact{}, s.cards.Refused(ctx, a, "assistant.card.update", CardCollection+"/"+id, problem.New(403, problem.CodeForbidden,
			"本人只能修改手机号码，办公电话和房间号由系统管理员维护", "you may change only your own mobile; the administrator keeps phones and rooms"))
	}
	if in.Version != doc.Version {
		return Contact{}, problem.Conflict("联系方式已被修改，请刷新后重试", "the card changed; reload and retry")
	}
	if _, _, err := s.cards.Put(ctx, a, "assistant.card.update", next, doc.Version, map[string]any{"officePhone": next.OfficePhone,
		"room": next.Room, "mobileChanged": next.Mobile != old.Mobile}); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return Contact{}, problem.Conflict("联系方式已被修改，请刷新后重试", "the card changed; reload and retry")
		}
		return Contact{}, err
	}
	return s.Contact(ctx, a.P, id)
}

// directory is the whole directory as of now, sorted.
type directory struct {
	people []Contact
	depts  []identity.Department
	// keys are each contact's search keys: name, pinyin forms, department
	// names, phones.
	keys map[string][]string
}

func (s *Service) directory(ctx context.Context) (*directory, error) {
	people, err := s.d.Org.Directory(ctx)
	if err != nil {
		return nil, err
	}
	depts, err := s.d.Org.Departments(ctx)
	if err != nil {
		return nil, err
	}
	posts, err := s.d.Org.Posts(ctx)
	if err != nil {
		return nil, err
	}
	cards := map[string]store.Doc{}
	for doc, err := range store.ScanAll(ctx, s.d.Store, CardCollection, "") {
		if err != nil {
			return nil, err
		}
		cards[doc.ID] = doc
	}
	order, names := map[string]int{}, map[string]string{}
	for i, d := range depts {
		order[d.ID], names[d.ID] = i, d.Name
	}
	postNames := map[string]string{}
	for _, p := range posts {
		postNames[p.ID] = p.Name
	}
	dir := &directory{depts: depts, keys: map[string][]string{}}
	for _, p := range people {
		r := s.pinyin.name(p.Name)
		c := Contact{ID: p.ID, Name: p.Name, Pinyin: strings.Join(r.Syllables, " "), Initials: r.Initials(),
			Departments: []DepartmentRef{}, Posts: []string{}}
		ds := slices.Clone(p.DepartmentIDs)
		slices.SortFunc(ds, func(a, b string) int { return cmp.Compare(order[a], order[b]) })
		for _, d := range ds {
			c.Departments = append(c.Departments, DepartmentRef{ID: d, Name: names[d]})
		}
		for _, id := range p.PostIDs {
			if n := postNames[id]; n != "" {
				c.Posts = append(c.Posts, n)
			}
		}
		if doc, ok := cards[p.ID]; ok {
			var card Card
			if doc.Decode(&card) == nil {
				c.OfficePhone, c.Room, c.Mobile, c.Version = card.OfficePhone, card.Room, card.Mobile, doc.Version
			}
		}
		keys := []string{strings.ToLower(p.Name), r.Full(), r.Initials(), c.OfficePhone, c.Mobile, strings.ToLower(c.Room)}
		if r.Common != nil {
			keys = append(keys, strings.Join(r.Common, ""), initials(r.Common))
		}
		for _, d := range c.Departments {
			keys = append(keys, d.Name)
		}
		dir.keys[c.ID] = keys
		dir.people = append(dir.people, c)
	}
	first := func(c Contact) int {
		if len(c.Departments) == 0 {
			return len(depts)
		}
		return order[c.Departments[0].ID]
	}
	// The names' pinyin (surnames read as surnames) is the order people
	// expect; the same pinyin falls back to the characters' order.
	slices.SortStableFunc(dir.people, func(a, b Contact) int {
		return cmp.Or(cmp.Compare(first(a), first(b)), cmp.Compare(a.Pinyin, b.Pinyin), cmp.Compare(a.Name, b.Name))
	})
	return dir, nil
}

// matches reports whether one of c's keys contains needle (lower case,
// no spaces).
func (d *directory) matches(c Contact, needle string) bool {
	return slices.ContainsFunc(d.keys[c.ID], func(k string) bool {
		return k != "" && strings.Contains(strings.ReplaceAll(k, " ", ""), needle)
	})
}

// subtree is the department and every department under it.
func (d *directory) subtree(id string) map[string]bool {
	if !slices.ContainsFunc(d.depts, func(x identity.Department) bool { return x.ID == id }) {
		return nil
	}
	in := map[string]bool{id: true}
	for grew := true; grew; {
		grew = false
		for _, x := range d.depts {
			if !in[x.ID] && in[x.ParentID] {
				in[x.ID], grew = true, true
			}
		}
	}
	return in
}
