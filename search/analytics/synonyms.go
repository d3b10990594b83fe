package analytics

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"zhengwu/search/analysis"
	"zhengwu/shared/audit"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// The synonym list editors keep: one document.
const (
	SettingsCollection = "search_settings"
	SynonymsID         = "synonyms"
	// MaxSynonymsText bounds the list's text (runes).
	MaxSynonymsText = 200_000
	// PollEvery is how often a process re-reads the stored list, so that
	// an edit made through another process applies here too.
	PollEvery = 5 * time.Second
)

// SynonymList is the list as stored and answered. Version 0 is the seed
// (the list embedded in the binary): nothing stored yet.
type SynonymList struct {
	Text      string    `json:"text"`
	Groups    int       `json:"groups"`
	Version   int64     `json:"version"`
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
	UpdatedBy string    `json:"updatedBy,omitempty"`
}

// SynonymInput is an edit of the list at the version the editor read.
type SynonymInput struct {
	Text    string `json:"text" validate:"max=200000" doc:"同义词表：每行一组，词之间用逗号或顿号分隔；# 开头的行是注释"`
	Version int64  `json:"version" validate:"min=0" doc:"读取时的版本（0：尚未保存过，内置词表）"`
}

type storedSynonyms struct {
	Text      string    `json:"text"`
	UpdatedAt time.Time `json:"updatedAt"`
	UpdatedBy string    `json:"updatedBy"`
}

// Synonyms keeps the editable list in the store and the live one
// (analysis.SetLiveSynonyms) in step with it: at once after an edit here,
// within PollEvery after one in another process.
type Synonyms struct {
	store store.Store
	trail *audit.Trail
	now   func() time.Time
	log   *slog.Logger

	mu      sync.Mutex
	applied int64 // the stored version in force (0: the default list)
}

// NewSynonyms is the list on s; Load puts the stored one in force.
func NewSynonyms(s store.Store, trail *audit.Trail, now func() time.Time, logger *slog.Logger) *Synonyms {
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Synonyms{store: s, trail: trail, now: now, log: logger}
}

// Get is the list in the store, or the seed.
func (y *Synonyms) Get(ctx context.Context) (SynonymList, error) {
	d, err := y.store.Get(ctx, SettingsCollection, SynonymsID)
	if errors.Is(err, store.ErrNotFound) {
		seed := analysis.EmbeddedSynonymsText()
		return SynonymList{Text: seed, Groups: analysis.EmbeddedSynonyms().Len()}, nil
	}
	if err != nil {
		return SynonymList{}, err
	}
	var s storedSynonyms
	if err := d.Decode(&s); err != nil {
		return SynonymList{}, err
	}
	parsed, err := analysis.ParseSynonyms(s.Text)
	groups := 0
	if err == nil {
		groups = parsed.Len()
	}
	return SynonymList{Text: s.Text, Groups: groups, Version: d.Version, UpdatedAt: s.UpdatedAt, UpdatedBy: s.UpdatedBy}, nil
}

// Put stores text as the list, if it parses and the stored version is
// still version, with its audit entry; the next query expands with it.
func (y *Synonyms) Put(ctx context.Context, actor, ip string, in SynonymInput) (SynonymList, error) {
	text := strings.ReplaceAll(in.Text, "\r\n", "\n")
	if utf8.RuneCountInString(text) > MaxSynonymsText {
		return SynonymList{}, problem.Invalid(problem.Field("text", "同义词表过长", "the list is too long"))
	}
	parsed, err := analysis.ParseSynonyms(text)
	var le *analysis.LineError
	if errors.As(err, &le) {
		y.refused(ctx, actor, ip, le.Error())
		return SynonymList{}, problem.Invalid(problem.Field("text", le.Zh(), le.Error()))
	}
	if err != nil {
		return SynonymList{}, err
	}
	if parsed.Len() == 0 {
		y.refused(ctx, actor, ip, "empty")
		return SynonymList{}, problem.Invalid(problem.Field("text", "同义词表不能为空", "the list must have at least one group"))
	}
	data, err := json.Marshal(storedSynonyms{Text: text, UpdatedAt: y.now(), UpdatedBy: actor})
	if err != nil {
		return SynonymList{}, err
	}
	docs, err := y.trail.Commit(ctx, []store.Write{{Collection: SettingsCollection, ID: SynonymsID, Data: data, ExpectVersion: in.Version}},
		audit.Event{Actor: actor, ActorIP: ip, Action: "search.synonyms.update", Target: SettingsCollection + "/" + SynonymsID,
			Outcome: audit.Success, Details: map[string]any{"groups": parsed.Len(), "fromVersion": in.Version}})
	if errors.Is(err, store.ErrConflict) {
		y.refused(ctx, actor, ip, "conflict")
		return SynonymList{}, problem.New(409, problem.CodeConflict, "同义词表已被他人修改，请重新载入后再改", "the list was changed meanwhile: reload it")
	}
	if err != nil {
		return SynonymList{}, err
	}
	y.apply(docs[0].Version, parsed)
	return y.Get(ctx)
}

func (y *Synonyms) refused(ctx context.Context, actor, ip, reason string) {
	if _, err := y.trail.Record(ctx, audit.Event{Actor: actor, ActorIP: ip, Action: "search.synonyms.update",
		Target: SettingsCollection + "/" + SynonymsID, Outcome: audit.Failure, Reason: reason}); err != nil {
		y.log.Warn("search synonyms: refusal not audited", "err", err)
	}
}

// apply puts a parsed list of a stored version in force, unless a newer
// one is already.
func (y *Synonyms) apply(version int64, s *analysis.Synonyms) {
	y.mu.Lock()
	defer y.mu.Unlock()
	if version < y.applied {
		return
	}
	y.applied = version
	analysis.SetLiveSynonyms(s)
}

// Load reads the stored list and puts it in force when its version is
// newer than the one applied (nothing stored: the default list stays).
func (y *Synonyms) Load(ctx context.Context) error {
	d, err := y.store.Get(ctx, SettingsCollection, SynonymsID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	y.mu.Lock()
	current := y.applied
	y.mu.Unlock()
	if d.Version <= current {
		return nil
	}
	var s storedSynonyms
	if err := d.Decode(&s); err != nil {
		return err
	}
	parsed, err := analysis.ParseSynonyms(s.Text)
	if err != nil {
		return err // stored through Put, so parsed once: a hand edit of the database
	}
	y.apply(d.Version, parsed)
	return nil
}

// Watch loads the stored list now and every PollEvery until ctx ends:
// edits made through another process apply here within PollEvery (a
// poll of one document by id, rather than a feed consumer for it).
func (y *Synonyms) Watch(ctx context.Context) error {
	tick := time.NewTicker(PollEvery)
	defer tick.Stop()
	for {
		if err := y.Load(ctx); err != nil && ctx.Err() == nil {
			y.log.Warn("search synonyms: the stored list was not loaded", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}
