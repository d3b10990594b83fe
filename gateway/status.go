package gateway

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/officeapi/info"
	"zhengwu/shared/store"
)

func attachmentOf(a info.Attachment) item.Attachment {
	return item.Attachment{MediaID: a.MediaID, Name: a.Name, Size: a.Size, Type: a.Type}
}

// ReconcileReport is what a reconciliation pass did.
type ReconcileReport struct {
	Items     int `json:"items"`     // info items re-decided
	Crossed   int `json:"crossed"`   // portal copies published or updated
	Withdrawn int `json:"withdrawn"` // portal copies taken back
	Orphans   int `json:"orphans"`   // copies whose source no longer exists, taken back
}

// Reconcile re-decides every info item from a scan of the office store and
// withdraws portal copies whose source no longer exists. It repairs what
// the feed path left behind (a bug, a restored backup, a changed channel
// tree) and audits only what it changes. Safe beside a running Run.
func (g *Gateway) Reconcile(ctx context.Context) (ReconcileReport, error) {
	var rep ReconcileReport
	if g.portal == nil {
		return rep, errors.New("gateway: no Portal")
	}
	var t tally
	defer func() { _ = g.addCounters(context.WithoutCancel(ctx), t) }()
	for d, err := range store.ScanAll(ctx, g.office, InfoCollection, "") {
		if err != nil {
			return rep, err
		}
		before := t
		g.mu.Lock()
		err := g.apply(ctx, d.ID, true, &t)
		g.mu.Unlock()
		if err != nil {
			return rep, fmt.Errorf("gateway: reconcile %s: %w", d.ID, err)
		}
		rep.Items++
		rep.Crossed += int(t.crossed - before.crossed)
		rep.Withdrawn += int(t.withdrawn - before.withdrawn)
	}
	// Copies whose source is gone.
	for d, err := range store.ScanAll(ctx, g.portalStore, content.ImportsCollection, "") {
		if err != nil {
			return rep, err
		}
		if _, err := g.office.Get(ctx, InfoCollection, d.ID); !errors.Is(err, store.ErrNotFound) {
			if err != nil {
				return rep, err
			}
			continue
		}
		before := t.withdrawn
		g.mu.Lock()
		err := g.apply(ctx, d.ID, true, &t) // re-reads: not found → withdraw
		g.mu.Unlock()
		if err != nil {
			return rep, err
		}
		rep.Orphans += int(t.withdrawn - before)
		rep.Withdrawn += int(t.withdrawn - before)
	}
	return rep, nil
}

// Resync sets the checkpoint back to sinceSeq (0: from the beginning), so
// that the feed from there is applied again (harmless: every effect is
// idempotent). A gateway running in another process notices through the
// checkpoint's generation.
func (g *Gateway) Resync(ctx context.Context, sinceSeq int64) error {
	if sinceSeq < 0 {
		return errors.New("gateway: resync: sequence must not be negative")
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	_, _, err := store.Update(ctx, g.office, StateCollection, checkpointID, func(c *checkpoint) error {
		c.Seq, c.Gen, c.At = sinceSeq, c.Gen+1, g.now().UTC()
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		_, err = store.Save(ctx, g.office, StateCollection, checkpointID,
			checkpoint{Seq: sinceSeq, Gen: 1, At: g.now().UTC()}, 0)
	}
	if err != nil {
		return err
	}
	g.memGen = -1
	g.nextDue.Store(0)
	g.Notify()
	return nil
}

// Status is the gateway's position and counts, read from the store, so
// that any process (the CLI) sees the running gateway's.
type Status struct {
	Checkpoint int64 `json:"checkpoint"` // last feed sequence written as applied
	LastSeq    int64 `json:"lastSeq"`    // the store's last feed sequence
	// Lag is the number of info_items changes after the checkpoint, i.e.
	// not yet applied (the gateway's own writes do not count).
	Lag       int64     `json:"lag"`
	Crossed   int64     `json:"crossed"`   // portal copies published or updated
	Refused   int64     `json:"refused"`   // decisions refusing an item meant for the portal
	Withdrawn int64     `json:"withdrawn"` // portal copies taken back
	Ignored   int64     `json:"ignored"`   // changes of items not meant for the portal
	Due       int       `json:"due"`       // embargoed items waiting
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
}

// lagScanLimit bounds the feed entries Status reads to count the lag;
// beyond it the lag is estimated as the rest of the sequence range.
const lagScanLimit = 200000

// Status reads the gateway's status from the store.
func (g *Gateway) Status(ctx context.Context) (Status, error) {
	var st Status
	cp, _, err := g.loadCheckpoint(ctx)
	if err != nil {
		return st, err
	}
	st.Checkpoint, st.UpdatedAt = cp.Seq, cp.At
	if st.LastSeq, err = g.office.LastSeq(ctx); err != nil {
		return st, err
	}
	if st.Lag, err = g.lag(ctx, cp.Seq); err != nil {
		return st, err
	}
	for _, c := range []struct {
		name string
		dst  *int64
	}{{counterCrossed, &st.Crossed}, {counterRefused, &st.Refused}, {counterWithdrawn, &st.Withdrawn}, {counterIgnored, &st.Ignored}} {
		if *c.dst, err = g.office.Incr(ctx, c.name, 0); err != nil {
			return st, err
		}
	}
	for _, err := range store.ScanAll(ctx, g.office, DueCollection, "") {
		if err != nil {
			return st, err
		}
		st.Due++
	}
	return st, nil
}

// lag counts info_items feed entries after seq.
func (g *Gateway) lag(ctx context.Context, seq int64) (int64, error) {
	var n, read int64
	for read < lagScanLimit {
		page, err := g.office.Feed(ctx, seq, 1000)
		if err != nil {
			return 0, err
		}
		for _, c := range page {
			if c.Collection == InfoCollection {
				n++
			}
		}
		read += int64(len(page))
		if len(page) < 1000 {
			return n, nil
		}
		seq = page[len(page)-1].Seq
	}
	last, err := g.office.LastSeq(ctx)
	if err != nil {
		return 0, err
	}
	return n + max(0, last-seq), nil
}

// StatusText renders s for `zhengwu gateway status`.
func StatusText(s Status) string {
	var b strings.Builder
	fmt.Fprintf(&b, "gateway: checkpoint %d, store at %d, lag %d\n", s.Checkpoint, s.LastSeq, s.Lag)
	fmt.Fprintf(&b, "crossed %d, refused %d, withdrawn %d, ignored %d, embargoed waiting %d\n",
		s.Crossed, s.Refused, s.Withdrawn, s.Ignored, s.Due)
	if !s.UpdatedAt.IsZero() {
		fmt.Fprintf(&b, "checkpoint written %s\n", s.UpdatedAt.Format(time.RFC3339))
	}
	return b.String()
}

// Collectors are the gateway's Prometheus metrics (lag, checkpoint,
// crossed, refused, withdrawn, ignored, errors), read at scrape time from
// the store. Register them with a registry; nothing is global.
func (g *Gateway) Collectors() []prometheus.Collector { return []prometheus.Collector{collector{g}} }

type collector struct{ g *Gateway }

var (
	descLag        = prometheus.NewDesc("zhengwu_gateway_lag", "info_items changes after the gateway's checkpoint.", nil, nil)
	descCheckpoint = prometheus.NewDesc("zhengwu_gateway_checkpoint", "Feed sequence the gateway has applied.", nil, nil)
	descDecisions  = prometheus.NewDesc("zhengwu_gateway_items_total", "Gateway decisions by outcome (crossed, refused, withdrawn, ignored).", []string{"outcome"}, nil)
	descDue        = prometheus.NewDesc("zhengwu_gateway_embargoed", "Embargoed items waiting for their embargo to end.", nil, nil)
	descErrors     = prometheus.NewDesc("zhengwu_gateway_errors_total", "Gateway steps that failed and were retried (this process).", nil, nil)
)

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descLag, descCheckpoint, descDecisions, descDue, descErrors} {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	ch <- prometheus.MustNewConstMetric(descErrors, prometheus.CounterValue, float64(c.g.follow.Failures()))
	st, err := c.g.Status(ctx)
	if err != nil {
		c.g.log.Warn("gateway metrics: store did not answer", "err", err)
		return
	}
	ch <- prometheus.MustNewConstMetric(descLag, prometheus.GaugeValue, float64(st.Lag))
	ch <- prometheus.MustNewConstMetric(descCheckpoint, prometheus.GaugeValue, float64(st.Checkpoint))
	ch <- prometheus.MustNewConstMetric(descDue, prometheus.GaugeValue, float64(st.Due))
	for _, o := range []struct {
		name string
		v    int64
	}{{"crossed", st.Crossed}, {"refused", st.Refused}, {"withdrawn", st.Withdrawn}, {"ignored", st.Ignored}} {
		ch <- prometheus.MustNewConstMetric(descDecisions, prometheus.CounterValue, float64(o.v), o.name)
	}
}
