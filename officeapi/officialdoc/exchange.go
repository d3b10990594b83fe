package officialdoc

import (
	"context"
	"slices"
	"strings"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/officeapi/workflow"
	"zhengwu/shared/attachment"
	"zhengwu/shared/audit"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Exchange inside the deployment (公文交换, issue #11 item 5).
//
// The organisations of a deployment are the top-level units of the
// organisation tree (the 省政府办公厅, a city's 人民政府办公室, a 委厅局).
// When a 发文 leaves 核发, each of its 主送 and 抄送 recipients is matched
// to a unit by the unit's exact name (an entry may list several,
// separated by 、，,; as a 主送机关 line does): a unit other than the
// sender's own gets a 收文 filed in it, with the GB/T 9704 fields and the
// 发文字号 copied, started on the incoming flow, so that its 收发员 finds
// 签收 among their tasks; every other recipient is listed as delivered
// outside the system (线下送达). The 收文's id is "<发文>-<unit>", and it
// is written in the 核发 step's own store write: a step that is retried
// finds it (or writes it) once, and a step that fails writes none.
// The sender's Receipts say where each recipient's copy is; the receiving
// unit's 签收 marks its receipt 已签收, who and when, in that step's write.

// recipients are a 发文's 主送 then 抄送 entries, one recipient each.
func recipients(d *Document) []Receipt {
	var out []Receipt
	split := func(r rune) bool { return strings.ContainsRune("、，,；;", r) }
	for _, list := range []struct {
		kind    string
		entries []string
	}{{"mainTo", d.MainTo}, {"copyTo", d.CopyTo}} {
		for _, e := range list.entries {
			for _, name := range strings.FieldsFunc(e, split) {
				if name = strings.TrimSpace(name); name != "" {
					out = append(out, Receipt{Name: name, Kind: list.kind})
				}
			}
		}
	}
	return out
}

// exchange files the 收文 of each recipient unit of d, in b, as a's 核发,
// and records d's receipts; it returns the audit entries of the 收文 made.
// A unit named twice (主送 and 抄送) receives one copy.
func (s *Service) exchange(ctx context.Context, b *store.Batch, a records.Actor, d *Document, now time.Time) ([]audit.Event, error) {
	o, err := s.org(ctx)
	if err != nil {
		return nil, err
	}
	def, err := s.flows.Definition(ctx, Incoming, s.flowOf[Incoming].Version)
	if err != nil {
		return nil, err
	}
	if d.Unit == "" { // filed before documents recorded their unit
		d.Unit = o.unitOf[d.Department]
	}
	var events []audit.Event
	d.Receipts = []Receipt{}
	for _, r := range recipients(d) {
		unit, ok := o.byName[r.Name]
		if ok && slices.ContainsFunc(d.Receipts, func(x Receipt) bool { return x.Unit == unit }) {
			continue
		}
		if !ok || unit == d.Unit {
			r.State = ReceiptOffline
			d.Receipts = append(d.Receipts, r)
			continue
		}
		r.Unit, r.Document, r.State = unit, d.ID+"-"+unit, ReceiptSent
		var had Document
		if found, err := b.Load(ctx, Collection, r.Document, &had); err != nil {
			return nil, err
		} else if found {
			d.Receipts = append(d.Receipts, r)
			continue
		}
		rec := s.received(d, r, o.depts[d.Unit].Name)
		in, _, err := workflow.Apply(def, workflow.Instance{}, workflow.Action{Kind: workflow.ActStart, Actor: a.P.UserID, ID: rec.ID,
			Opinion: "公文交换：" + d.DocNumber, Subject: workflow.Subject{Collection: Collection, ID: rec.ID, Fields: fieldsOf(&rec)}}, now, s.env)
		if p := problem.As(err); p != nil && p.Code == workflow.CodeNoAssignee {
			// The unit has no one to sign for it: it is told outside the system.
			r.Document, r.State = "", ReceiptOffline
			d.Receipts = append(d.Receipts, r)
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := s.follow(ctx, &rec, in); err != nil {
			return nil, err
		}
		if err := b.Save(workflow.InstanceCollection, rec.ID, in); err != nil {
			return nil, err
		}
		if err := b.Save(Collection, rec.ID, rec); err != nil {
			return nil, err
		}
		if err := b.Save(RevisionCollection, revisionID(rec.ID, 1), Revision{Document: rec.ID, N: 1, Author: a.P.UserID,
			AuthorName: a.P.Name, At: rec.CreatedAt, Body: rec.Body}); err != nil {
			return nil, err
		}
		b.Add(attachment.Writes(Collection, rec.ID, rec.files()...)...)
		events = append(events, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: "officialdoc.exchange",
			Target: Collection + "/" + rec.ID, Outcome: audit.Success,
			Details: map[string]any{"from": d.ID, "unit": r.Unit, "docNumber": d.DocNumber}})
		d.Receipts = append(d.Receipts, r)
	}
	return events, nil
}

// received is the 收文 a unit gets of d: the GB/T 9704 fields and the
// 发文字号 as issued, filed in the unit itself, drafted by no one of it.
func (s *Service) received(d *Document, r Receipt, senderName string) Document {
	now := s.docs.Now()
	return Document{ID: r.Document, Direction: Incoming, DocType: d.DocType, CopyNo: d.CopyNo, Classification: d.Classification,
		SecrecyPeriod: d.SecrecyPeriod, Urgency: d.Urgency, Issuer: d.Issuer, IssuerCode: d.IssuerCode, DocNumber: d.DocNumber,
		JointIssuers: slices.Clone(d.JointIssuers), Signer: d.Signer, Title: d.Title, MainTo: slices.Clone(d.MainTo), Body: d.Body, Attachments: slices.Clone(d.Attachments),
		Signature: d.Signature, WrittenOn: d.WrittenOn, Note: d.Note, Sealed: d.Sealed, CopyTo: slices.Clone(d.CopyTo),
		PrintedBy: d.PrintedBy, PrintedOn: d.PrintedOn, Department: r.Unit, Unit: r.Unit, DrafterName: "公文交换",
		From: &Origin{Document: d.ID, Unit: d.Unit, UnitName: senderName}, State: StateProcessing, Revision: 1,
		CreatedAt: now, UpdatedAt: now}
}

// receipt marks the sender's receipt of the 收文 d signed for (签收) by a,
// in the same write.
func (s *Service) receipt(ctx context.Context, b *store.Batch, a records.Actor, d *Document) error {
	var src Document
	found, err := b.Load(ctx, Collection, d.From.Document, &src)
	if err != nil || !found {
		return err
	}
	i := slices.IndexFunc(src.Receipts, func(r Receipt) bool { return r.Document == d.ID })
	if i < 0 || src.Receipts[i].State == ReceiptReceived {
		return nil
	}
	src.Receipts[i].State, src.Receipts[i].ReceivedBy, src.Receipts[i].ReceivedByName = ReceiptReceived, a.P.UserID, a.P.Name
	src.Receipts[i].ReceivedAt = s.docs.Now()
	return b.Save(Collection, src.ID, src)
}
