package gateway

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"zhengwu/cms/content"
	"zhengwu/shared/audit"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// decision is what the gateway decided for one item from the state it
// read, before doing anything about it.
type decision struct {
	id      string
	gone    bool  // the source no longer exists: withdraw
	it      Item  // the state read; what crosses if allowed
	version int64 // the source document's version
	allowed bool
	rule    string
	// audited: a feed step audits this decision (a crossing, or a refusal
	// of an item meant for the portal or malformed); the others are
	// counted as ignored.
	audited bool
	// done: a replayed crossing the portal already shows (skipDone);
	// neither audited nor counted again.
	done    bool
	details map[string]any
}

// decide reads id's current state and applies the release policy to it.
// It writes nothing.
func (g *Gateway) decide(ctx context.Context, id string) (decision, error) {
	doc, err := g.office.Get(ctx, InfoCollection, id)
	if errors.Is(err, store.ErrNotFound) {
		return decision{id: id, gone: true}, nil
	}
	if err != nil {
		return decision{}, err
	}
	it, derr := DecodeItem(doc.Data)
	allowed, rule := false, RuleMalformed
	if derr == nil {
		if it.ID != id {
			derr = fmt.Errorf("id %q differs from the document id", it.ID)
		} else {
			allowed, rule = g.policy.Decide(it, g.now())
		}
	}
	details := map[string]any{"sourceVersion": doc.Version, "revision": it.Revision,
		"classification": it.Classification, "department": it.Department}
	if it.Portal.Channel != "" {
		details["channel"] = it.Portal.Channel
	}
	if derr != nil {
		details["error"] = derr.Error()
	}
	return decision{id: id, it: it, version: doc.Version, allowed: allowed, rule: rule,
		audited: allowed || derr != nil || candidate(it), details: details}, nil
}

// decisionEvent is the audit entry of a decision: a crossing or a refusal.
func (g *Gateway) decisionEvent(d decision) audit.Event {
	if d.allowed {
		return g.event(ActionCross, d.id, audit.Success, d.rule, d.details)
	}
	return g.event(ActionRefuse, d.id, audit.Failure, d.rule, d.details)
}

// apply decides one item and carries the decision out at once: the repair
// path (Reconcile, due runs), which audits only what it changes, when it
// changes it.
func (g *Gateway) apply(ctx context.Context, id string, repair bool, t *tally) error {
	d, err := g.decide(ctx, id)
	if err != nil {
		return err
	}
	return g.carry(ctx, d, repair, t)
}

// carry carries out a decision: import the item it allows (publishing
// it), else withdraw its portal copy and, if only its embargo refused it,
// put it on the due list. A feed step (repair false) has audited the
// decision ahead (decided); a repair audits a crossing here, and only if
// it changed the portal.
func (g *Gateway) carry(ctx context.Context, d decision, repair bool, t *tally) error {
	if d.gone {
		return g.withdraw(ctx, d.id, RuleSourceMissing, 0, t)
	}
	rule := d.rule
	if d.allowed {
		_, changed, err := g.portal.Import(ctx, importOf(d.it))
		if pe := problem.As(err); pe != nil && pe.Status == 400 {
			// The CMS refuses the content itself: fail closed. A feed step
			// audited a crossing ahead that did not happen: say so at once.
			rule = RuleRejectedByPortal
			if !repair {
				t.refused++
				details := maps.Clone(d.details)
				details["error"] = pe.En
				if err := g.record(ctx, ActionRefuse, d.id, audit.Failure, rule, details); err != nil {
					return err
				}
			}
		} else if err != nil {
			return err
		} else {
			if changed {
				t.crossed++
				if repair {
					details := maps.Clone(d.details)
					details["changed"] = true
					return g.record(ctx, ActionCross, d.id, audit.Success, rule, details)
				}
			}
			return nil
		}
	}
	if rule == RuleEmbargoed {
		if err := g.addDue(ctx, d.id, *d.it.Portal.EmbargoUntil); err != nil {
			return err
		}
	}
	return g.withdraw(ctx, d.id, rule, d.version, t)
}

// withdraw takes the portal copy of id back, if there is one live.
func (g *Gateway) withdraw(ctx context.Context, id, rule string, version int64, t *tally) error {
	changed, err := g.portal.WithdrawImport(ctx, id, ruleText(rule))
	if err != nil || !changed {
		return err
	}
	t.withdrawn++
	return g.record(ctx, ActionWithdraw, id, audit.Success, rule, map[string]any{"sourceVersion": version})
}

// record writes an audit entry; an entry that cannot be written fails the
// step (it is retried), so no decision goes unrecorded.
func (g *Gateway) record(ctx context.Context, action, id, outcome, rule string, details map[string]any) error {
	_, err := g.trail.Record(ctx, g.event(action, id, outcome, rule, details))
	return err
}

// decided writes the audit entries of a feed step's crossings and
// refusals, all in one batch (RecordAll: one store write per step instead
// of one per item, half of a bulk sync's transactions), BEFORE the step
// imports or withdraws anything (write-ahead): no crossing reaches the
// portal without its audit entry already written. If the write fails, the
// step fails before any effect and its batch is retried (the checkpoint
// has not moved). A crash after the write and before the effects replays
// the batch, which re-decides and audits again: the trail may then hold a
// second gateway.cross entry for the same revision, or a crossing of a
// state that the replay no longer lets cross (the office changed the item
// in between; the replay audits that refusal too). A duplicate is better
// than a missing entry. An import the portal then rejects gets a
// follow-up gateway.refuse entry at once (carry). A crossing's entry is
// written before it is known whether the import changes the portal (a
// replay crosses the same revision again, changing nothing), so feed
// entries carry no "changed" detail. Repairs (Reconcile, due runs) audit
// only what they change, when they change it; withdrawals are audited as
// they happen (withdraw).
func (g *Gateway) decided(ctx context.Context, ds []decision, t *tally) error {
	events := make([]audit.Event, 0, len(ds))
	var refused, ignored int64
	for _, d := range ds {
		switch {
		case d.gone, d.done:
		case d.audited:
			events = append(events, g.decisionEvent(d))
			if !d.allowed {
				refused++
			}
		default:
			ignored++
		}
	}
	if _, err := g.trail.RecordAll(ctx, events); err != nil {
		return err
	}
	t.refused += refused
	t.ignored += ignored
	return nil
}

func (g *Gateway) event(action, id, outcome, rule string, details map[string]any) audit.Event {
	return audit.Event{Actor: Actor, Action: action, Target: InfoCollection + "/" + id,
		Outcome: outcome, Reason: rule, Details: details}
}

// importOf is the portal copy of a released item.
func importOf(it Item) content.ImportInput {
	in := content.ImportInput{SourceID: it.ID, SourceRevision: it.Revision, Channel: it.Portal.Channel,
		Department: it.Department,
		Fields:     content.Fields{Title: it.Title, Summary: it.Summary, Body: it.Body}}
	for _, a := range it.Attachments {
		in.Fields.Attachments = append(in.Fields.Attachments, attachmentOf(a))
	}
	return in
}
