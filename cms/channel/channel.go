// Package channel is the portal's channel tree (栏目): stable keys, Chinese
// names, which content types each takes, who may read it, which
// department owns it (or that it is office-wide) and how its items are
// reviewed. The tree is small and read on every request, so it lives in
// memory, loaded from the store ("channels" collection) and seeded with
// the office's standard columns.
package channel

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"sync"

	"zhengwu/shared/store"
)

// Collection holds one document per channel, keyed by channel key.
const Collection = "channels"

// Visibility of a channel's items.
const (
	Public   = "public"   // every government-network reader
	Internal = "internal" // signed-in users only
)

// Channel is one node of the tree.
type Channel struct {
	Key        string   `json:"key"`
	Name       string   `json:"name"`
	Parent     string   `json:"parent,omitempty"`
	Types      []string `json:"types"` // content types it takes; empty for a pure grouping node
	Visibility string   `json:"visibility"`
	// Department owns the channel: only editors of that department (or
	// office-wide editors) may create, edit and submit documents in it.
	// OfficeWide ("*") makes it a channel every department contributes
	// to, each with its own documents. Empty is owned by no department:
	// only office-wide editors may write in it (fail closed).
	Department string `json:"department"`
	Order      int    `json:"order"`
	// ReviewSteps names the review steps an item passes before publication
	// (default 初审 by the department reviewer, then 终审 by the office).
	ReviewSteps []string `json:"reviewSteps,omitempty"`
	// Review holds the channel's review settings; nil takes the defaults.
	Review *Review `json:"review,omitempty"`
}

// OfficeWide is the Department of a channel that belongs to the whole
// office (the same value as auth.OfficeWide).
const OfficeWide = "*"

// Review is a channel's review settings. Absent fields take the default,
// so stored channels without them keep the strict behaviour.
type Review struct {
	// DistinctSteps: every review step of one edition is taken by a
	// different person (one reviewer cannot take both 初审 and 终审).
	// Default true.
	DistinctSteps *bool `json:"distinctSteps,omitempty"`
}

// DistinctSteps reports whether each review step of an edition must be
// taken by a different person (review.distinctSteps, default true).
func (c Channel) DistinctSteps() bool {
	return c.Review == nil || c.Review.DistinctSteps == nil || *c.Review.DistinctSteps
}

// IsOfficeWide reports whether every department may write in the channel.
func (c Channel) IsOfficeWide() bool { return c.Department == OfficeWide }

// Node is a channel with its children, for the delivery API's tree.
type Node struct {
	Channel
	Children []*Node `json:"children"`
}

// Tree is the in-memory channel set.
type Tree struct {
	mu    sync.RWMutex
	byKey map[string]Channel
}

// Load reads every channel from the store.
func Load(ctx context.Context, s store.Store) (*Tree, error) {
	all, err := store.LoadAll[Channel](ctx, s, Collection)
	if err != nil {
		return nil, err
	}
	t := &Tree{byKey: make(map[string]Channel, len(all))}
	for _, c := range all {
		t.byKey[c.Key] = c
	}
	return t, nil
}

// Seed writes the standard channels that are missing, then returns the
// loaded tree. Idempotent.
func Seed(ctx context.Context, s store.Store) (*Tree, error) {
	for _, c := range Standard {
		data, _ := json.Marshal(c)
		if _, err := s.Put(ctx, Collection, c.Key, data, 0); err != nil && !errors.Is(err, store.ErrConflict) {
			return nil, err
		}
	}
	return Load(ctx, s)
}

// Seeded is the tree Seed would return, without writing: the stored
// channels and the standard ones still missing (a dry run on a
// deployment that never started).
func Seeded(ctx context.Context, s store.Store) (*Tree, error) {
	t, err := Load(ctx, s)
	if err != nil {
		return nil, err
	}
	for _, c := range Standard {
		if _, ok := t.byKey[c.Key]; !ok {
			t.byKey[c.Key] = c
		}
	}
	return t, nil
}

// Get finds a channel by key.
func (t *Tree) Get(key string) (Channel, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	c, ok := t.byKey[key]
	return c, ok
}

// Accepts reports whether the channel takes the content type.
func (c Channel) Accepts(contentType string) bool { return slices.Contains(c.Types, contentType) }

// Steps is the channel's review steps, or the default.
func (c Channel) Steps() []string {
	if len(c.ReviewSteps) > 0 {
		return c.ReviewSteps
	}
	return DefaultReviewSteps
}

// DefaultReviewSteps: the department reviewer (初审), then the office (终审).
var DefaultReviewSteps = []string{StepDepartment, StepOffice}

// Review steps.
const (
	StepDepartment = "初审" // a reviewer of the owning department
	StepOffice     = "终审" // an office-wide reviewer
)

// Descendants returns key and the keys of every channel below it.
func (t *Tree) Descendants(key string) []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := []string{key}
	for i := 0; i < len(out); i++ {
		for _, c := range t.byKey {
			if c.Parent == out[i] {
				out = append(out, c.Key)
			}
		}
	}
	return out
}

// Roots returns the tree, children ordered by Order then key. With
// includeInternal false, internal channels (and what is under them) are
// left out.
func (t *Tree) Roots(includeInternal bool) []*Node {
	t.mu.RLock()
	defer t.mu.RUnlock()
	nodes := map[string]*Node{}
	for k, c := range t.byKey {
		nodes[k] = &Node{Channel: c, Children: []*Node{}}
	}
	var roots []*Node
	for _, n := range nodes {
		if p, ok := nodes[n.Parent]; ok && n.Parent != "" {
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	var prune func([]*Node) []*Node
	prune = func(ns []*Node) []*Node {
		sort.Slice(ns, func(i, j int) bool {
			if ns[i].Order != ns[j].Order {
				return ns[i].Order < ns[j].Order
			}
			return ns[i].Key < ns[j].Key
		})
		out := ns[:0]
		for _, n := range ns {
			if !includeInternal && n.Visibility == Internal {
				continue
			}
			n.Children = prune(n.Children)
			out = append(out, n)
		}
		return out
	}
	return prune(roots)
}
