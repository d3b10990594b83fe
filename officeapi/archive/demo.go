package archive

import (
	"context"
	"errors"
	"fmt"

	"zhengwu/officeapi/demo"
	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
)

// SeedDemo archives the demo's finished documents through the service's
// own calls, as the clerk whose 归档 task each is: the 一网通办 notice of
// officialdoc's demo, and a 函 of 信息处 run through its whole flow here.
// 信息处 has no head in the demo organisation, so the security
// administrator makes 周丽 its acting head (代理处长) for the 审核 and
// revokes the grant after, both through identity's own calls and
// audited. It returns how many records it made, and nothing once any
// record exists. Two old records of 综合处's paper archive are imported
// as the archivist would with `zhengwu import --into archive` (seedImported).
func (s *Service) SeedDemo(ctx context.Context, ids *identity.Service) (int, error) {
	if empty, err := s.recs.Empty(ctx); err != nil || !empty {
		return 0, err
	}
	n := 0
	if err := s.seedXinxi(ctx, ids); err != nil {
		return n, err
	}
	people, err := demoPeople(ctx, ids)
	if err != nil {
		return 0, err
	}
	for d, err := range store.ScanAll(ctx, s.store, officialdoc.Collection, "") {
		if err != nil {
			return n, err
		}
		var doc officialdoc.Document
		if err := d.Decode(&doc); err != nil {
			return n, err
		}
		for _, t := range doc.Tasks {
			if p := people[t.Assignee]; t.Node == nodeArchive && p != nil {
				if _, err := s.Archive(ctx, records.Actor{P: p, IP: "demo"}, Input{Document: doc.ID}); err != nil {
					return n, err
				}
				n++
				break
			}
		}
	}
	m, err := s.seedImported(ctx, ids)
	return n + m, err
}

// demoImports are old records from before the system, as a scanned
// folder's catalogue lists them.
var demoImports = []ImportInput{
	{Key: "demo-import-2016-05", Source: "综合处旧档案/2016年档案目录.csv 第 2 行", Title: "关于进一步加强机关档案工作的通知",
		DocNumber: "皖政办〔2016〕18号", Issuer: "安徽省人民政府办公厅", WrittenOn: "2016-05-12", DocType: "通知",
		Classification: classification.Feimi, Retention: Permanent, FileName: "皖政办〔2016〕18号.txt",
		Content: []byte("关于进一步加强机关档案工作的通知\n各市人民政府，省政府各部门：\n为进一步加强机关档案工作，现就有关事项通知如下。\n")},
	{Key: "demo-import-2018-11", Source: "综合处旧档案/2018年档案目录.csv 第 7 行", Title: "关于2018年度值班工作情况的报告",
		DocNumber: "皖政办〔2018〕41号", Issuer: "安徽省人民政府办公厅", WrittenOn: "2018-11-30", DocType: "报告",
		Classification: classification.Feimi, Retention: Term30, FileName: "皖政办〔2018〕41号.txt",
		Content: []byte("关于2018年度值班工作情况的报告\n省政府：\n现将2018年度值班工作情况报告如下。\n")},
}

// seedImported imports demoImports as the archivist (a rerun finds them).
func (s *Service) seedImported(ctx context.Context, ids *identity.Service) (int, error) {
	p, err := ids.PrincipalByUsername(ctx, "archivist")
	if err != nil {
		return 0, err
	}
	n := 0
	for _, in := range demoImports {
		_, created, err := s.ImportRecord(ctx, records.Actor{P: p, IP: "demo"}, in)
		if err != nil {
			return n, err
		}
		if created {
			n++
		}
	}
	return n, nil
}

// demoPeople are the demo accounts by user id.
func demoPeople(ctx context.Context, ids *identity.Service) (map[string]*auth.Principal, error) {
	out := map[string]*auth.Principal{}
	for _, u := range demo.Usernames() {
		p, err := ids.PrincipalByUsername(ctx, u)
		if err != nil {
			return nil, err
		}
		out[p.UserID] = p
	}
	return out, nil
}

// seedXinxi drafts a 函 in 信息处 and takes it through every step to 归档
// (archived by the flow's own step: the clerk's task moves on to the
// archive in the loop of SeedDemo).
func (s *Service) seedXinxi(ctx context.Context, ids *identity.Service) error {
	sec, err := ids.PrincipalByUsername(ctx, "secadmin")
	if err != nil {
		return err
	}
	reviewer, err := ids.PrincipalByUsername(ctx, "reviewer")
	if err != nil {
		return err
	}
	by := identity.Actor{Principal: sec, IP: "demo"}
	g, err := ids.GrantRole(ctx, by, reviewer.UserID, auth.RoleDeptHead, "xinxi")
	if err != nil {
		return err
	}
	defer func() { _ = ids.RevokeGrant(context.WithoutCancel(ctx), by, reviewer.UserID, g.ID) }()
	editor, err := ids.PrincipalByUsername(ctx, "editor")
	if err != nil {
		return err
	}
	a := records.Actor{P: editor, IP: "demo"}
	v, err := s.docs.Create(ctx, a, officialdoc.Input{Direction: officialdoc.Outgoing, DocType: "函",
		Title: "关于报送2025年度政务信息工作总结的函", Classification: classification.Feimi, Issuer: "安徽省人民政府办公厅",
		IssuerCode: "皖政办函", MainTo: []string{"省政府各部门办公室"}, Body: "<p>请于1月底前报送2025年度政务信息工作总结。</p>",
		Signature: "安徽省人民政府办公厅", PrintedBy: "安徽省人民政府办公厅秘书处", Department: "xinxi"})
	if err != nil {
		return err
	}
	id := v.Document.ID
	if _, err := s.docs.Submit(ctx, a, id); err != nil {
		return err
	}
	people, err := demoPeople(ctx, ids) // after the grant: the acting head's rights
	if err != nil {
		return err
	}
	for range 12 {
		doc, _, err := store.Load[officialdoc.Document](ctx, s.store, officialdoc.Collection, id)
		if err != nil {
			return err
		}
		if len(doc.Tasks) == 0 || doc.Tasks[0].Node == nodeArchive {
			return nil
		}
		t := doc.Tasks[0]
		p := people[t.Assignee]
		if p == nil {
			return fmt.Errorf("archive demo: no demo account holds task %s (%s)", t.ID, t.NodeName)
		}
		a := records.Actor{P: p, IP: "demo"}
		if t.Node == officialdoc.NodePrint {
			// Printed before the print room's intake runs (demo data is
			// seeded before Start): 印制's approval is PrintDone only.
			_, err = s.docs.PrintDone(ctx, a, t.ID, "印制完成")
		} else {
			_, err = s.docs.Act(ctx, a, t.ID, officialdoc.ActionInput{Action: "approve", Opinion: "同意"})
		}
		if err != nil {
			return err
		}
	}
	return errors.New("archive demo: the 信息处 函 did not reach 归档")
}
