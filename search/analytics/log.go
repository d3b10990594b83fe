package analytics

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/search/analysis"
	"zhengwu/search/searchapi"
	"zhengwu/shared/store"
)

// Collections of the query log.
const (
	LogCollection   = "search_log"
	ClickCollection = "search_clicks"
)

// Bounds of the log's writer.
const (
	QueueSize  = 4096            // entries waiting; more are dropped (counted)
	BatchSize  = 200             // entries written in one store transaction
	BatchEvery = 2 * time.Second // an entry waits at most this long
	MaxQuery   = 200             // runes of a normalised query kept
)

// Entry is one search as the log keeps it. It holds no identity: not the
// user, not the address, not a session. SignedIn says only whether the
// searcher was signed in (staff), which the reports need to tell the
// public's questions from the staff's, and nothing more.
type Entry struct {
	ID       string    `json:"id"`
	Query    string    `json:"query"` // normalised: Normalise
	Scope    string    `json:"scope"` // portal, office
	Results  uint64    `json:"results"`
	Page     int       `json:"page"` // from 1
	At       time.Time `json:"at"`
	SignedIn bool      `json:"signedIn"`
}

// Click is a reader opening a result of a logged search; its id is the
// search's log id (one click counts: the first).
type Click struct {
	ID   string    `json:"id"`
	Rank int       `json:"rank"` // 1 is the first result of the page
	At   time.Time `json:"at"`
}

// Normalise is the query as the reports count it: folded (full-width,
// traditional and upper-case forms as analysis.Fold makes them), spaces
// collapsed, at most MaxQuery runes.
func Normalise(q string) string {
	q = strings.Join(strings.Fields(analysis.Fold(q)), " ")
	if utf8.RuneCountInString(q) > MaxQuery {
		q = string([]rune(q)[:MaxQuery])
	}
	return q
}

// idPattern is a log id: the search's time (Unix nanoseconds, 16 hex
// digits, so ids sort by time) and 8 random hex digits.
var idPattern = regexp.MustCompile(`^[0-9a-f]{16}-[0-9a-f]{8}$`)

// ValidID reports whether id has the form of a log id.
func ValidID(id string) bool { return idPattern.MatchString(id) }

func newID(at time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%016x-%08x", uint64(at.UnixNano()), binary.BigEndian.Uint32(b[:]))
}

// timeKey is the id prefix of an instant: ids of entries at or after t
// sort after it.
func timeKey(t time.Time) string { return fmt.Sprintf("%016x", uint64(t.UnixNano())) }

// Log writes entries and clicks to the store in the background, in
// batches, so that a search never waits for it. Its queue is bounded: when
// the store falls behind, entries are dropped and counted (Dropped, and
// the metric zhengwu_search_log_dropped_total), never queued without end.
type Log struct {
	store   store.Store
	now     func() time.Time
	log     *slog.Logger
	queue   chan item
	dropped atomic.Int64
	written atomic.Int64
	metric  prometheus.Counter
	stop    chan struct{}
	done    chan struct{}
}

// item is one thing for the writer: an entry, a click or a flush request.
type item struct {
	entry *Entry
	click *Click
	flush chan struct{}
}

// NewLog makes a log on s and starts its writer (so that searches and the
// demo's seeding, which runs before the modules start, are written); Close
// stops it.
func NewLog(s store.Store, logger *slog.Logger, now func() time.Time) *Log {
	if logger == nil {
		logger = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	l := &Log{store: s, now: now, log: logger, queue: make(chan item, QueueSize),
		stop: make(chan struct{}), done: make(chan struct{}),
		metric: prometheus.NewCounter(prometheus.CounterOpts{Name: "zhengwu_search_log_dropped_total",
			Help: "Search log entries and clicks dropped because the log's queue was full."})}
	go l.run()
	return l
}

// Record queues a search for the log and returns its id (for the click
// report), or "" when nothing was logged: an empty query, or a full queue.
// It never blocks. e.At zero is now; e.ID is assigned.
func (l *Log) Record(e Entry) string {
	e.Query = Normalise(e.Query)
	if e.Query == "" {
		return ""
	}
	if e.At.IsZero() {
		e.At = l.now()
	}
	if e.Page < 1 {
		e.Page = 1
	}
	e.ID = newID(e.At)
	if !l.offer(item{entry: &e}) {
		return ""
	}
	return e.ID
}

// ErrBadID is a click naming no log id.
var ErrBadID = errors.New("analytics: not a search log id")

// Click queues a click on the rank-th result of the logged search id. A
// click for a search the log does not hold (dropped, swept, made up) is
// ignored when written.
func (l *Log) Click(id string, rank int) error {
	if !ValidID(id) {
		return ErrBadID
	}
	l.offer(item{click: &Click{ID: id, Rank: rank, At: l.now()}})
	return nil
}

func (l *Log) offer(it item) bool {
	select {
	case l.queue <- it:
		return true
	default:
		l.dropped.Add(1)
		l.metric.Inc()
		return false
	}
}

// Dropped is how many entries and clicks a full queue refused.
func (l *Log) Dropped() int64 { return l.dropped.Load() }

// Collectors are the log's Prometheus metrics.
func (l *Log) Collectors() []prometheus.Collector { return []prometheus.Collector{l.metric} }

// Close writes what is queued and stops the writer.
func (l *Log) Close() error {
	select {
	case <-l.stop:
	default:
		close(l.stop)
	}
	<-l.done
	return nil
}

// Flush returns once everything queued before it is written (tests, and
// the demo's seeding).
func (l *Log) Flush(ctx context.Context) error {
	ch := make(chan struct{})
	select {
	case l.queue <- item{flush: ch}:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *Log) run() {
	defer close(l.done)
	tick := time.NewTicker(BatchEvery)
	defer tick.Stop()
	var batch []item
	write := func() {
		l.write(batch)
		batch = batch[:0]
	}
	for {
		select {
		case it := <-l.queue:
			if it.flush != nil {
				write()
				close(it.flush)
				continue
			}
			if batch = append(batch, it); len(batch) >= BatchSize {
				write()
			}
		case <-tick.C:
			write()
		case <-l.stop:
			for {
				select {
				case it := <-l.queue:
					if it.flush != nil {
						write()
						close(it.flush)
					} else {
						batch = append(batch, it)
					}
				default:
					write()
					return
				}
			}
		}
	}
}

// write stores a batch: the entries in one transaction, then each click
// whose search is stored (one document a search: the first click).
func (l *Log) write(batch []item) {
	if len(batch) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var writes []store.Write
	for _, it := range batch {
		if it.entry == nil {
			continue
		}
		data, err := json.Marshal(it.entry)
		if err != nil {
			continue
		}
		writes = append(writes, store.Write{Collection: LogCollection, ID: it.entry.ID, Data: data, ExpectVersion: 0})
	}
	if len(writes) > 0 {
		if _, err := l.store.PutAll(ctx, writes); err != nil {
			l.dropped.Add(int64(len(writes)))
			l.metric.Add(float64(len(writes)))
			l.log.Warn("search log: entries not written", "entries", len(writes), "err", err)
		} else {
			l.written.Add(int64(len(writes)))
		}
	}
	for _, it := range batch {
		if it.click == nil {
			continue
		}
		if _, err := l.store.Get(ctx, LogCollection, it.click.ID); err != nil {
			continue // no such search logged: nothing to count it against
		}
		data, _ := json.Marshal(it.click)
		if _, err := l.store.Put(ctx, ClickCollection, it.click.ID, data, 0); err != nil && !errors.Is(err, store.ErrConflict) {
			l.log.Warn("search log: click not written", "err", err)
		}
	}
}

// Searches adapts the log to the search API's handlers
// (searchhttp.QueryLog): what it keeps of a search is Entry's fields.
type Searches struct{ *Log }

// Record logs a search's query, scope, total and page; signedIn is all it
// keeps of the searcher.
func (s Searches) Record(r searchapi.Request, res searchapi.Result, signedIn bool) string {
	return s.Log.Record(Entry{Query: r.Q, Scope: r.Scope, Results: res.Total, Page: max(r.Page, 1), SignedIn: signedIn})
}
