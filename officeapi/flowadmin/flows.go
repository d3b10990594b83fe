package flowadmin

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/officeapi/workflow"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Deps is what the business configuration needs from the process.
type Deps struct {
	Store store.Store
	Trail *audit.Trail
	Now   func() time.Time // nil: time.Now
}

// Flows keeps the flow definitions: lists them, saves a new version,
// activates one for new runs.
type Flows struct {
	store store.Store
	trail *audit.Trail
	now   func() time.Time
	defs  *workflow.Instances // the engine's store of definitions (no steps are run here)
}

// NewFlows returns the flows kept in d.Store.
func NewFlows(d Deps) (*Flows, error) {
	if d.Store == nil || d.Trail == nil {
		return nil, errors.New("flowadmin: Store and Trail are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Flows{store: d.Store, trail: d.Trail, now: d.Now, defs: workflow.NewInstances(d.Store, d.Trail, workflow.Env{}, d.Now)}, nil
}

// Flow is one flow across its versions: what the editor lists.
type Flow struct {
	Key    string `json:"key"`
	Name   string `json:"name"`   // the latest version's name
	Active int    `json:"active"` // the version new runs start on
	Latest int    `json:"latest"`
	// Versions are every version, oldest first.
	Versions []VersionInfo `json:"versions"`
	// ActivatedBy and ActivatedAt say who last chose the active version
	// (empty before anyone did: the highest version is active).
	ActivatedBy string    `json:"activatedBy,omitempty"`
	ActivatedAt time.Time `json:"activatedAt,omitzero"`
}

// VersionInfo is one version in a Flow's list.
type VersionInfo struct {
	Version int    `json:"version"`
	Name    string `json:"name"`
	Nodes   int    `json:"nodes"`
}

// FlowList is the flows, by key.
type FlowList struct {
	Flows []Flow `json:"flows"`
}

// mayManage refuses p unless it holds flow.manage office-wide.
func mayManage(p *auth.Principal) error {
	if !p.Can(auth.PermFlowManage, auth.OfficeWide) {
		return problem.Forbidden()
	}
	return nil
}

// refused records a refusal decided before any change, and returns it.
func refused(ctx context.Context, t *audit.Trail, a records.Actor, action, target string, err error) error {
	p := problem.As(err)
	if p == nil {
		return err
	}
	actor := "anonymous"
	if a.P != nil {
		actor = a.P.UserID
	}
	if _, rerr := t.Record(ctx, audit.Event{Actor: actor, ActorIP: a.IP, Action: action, Target: target,
		Outcome: audit.Failure, Reason: p.Code}); rerr != nil {
		return rerr
	}
	return err
}

// List returns every flow with its versions.
func (f *Flows) List(ctx context.Context, p *auth.Principal) (FlowList, error) {
	if err := mayManage(p); err != nil {
		return FlowList{}, err
	}
	defs, err := f.defs.Definitions(ctx)
	if err != nil {
		return FlowList{}, err
	}
	out := FlowList{Flows: []Flow{}}
	for i := 0; i < len(defs); {
		j := i
		for j < len(defs) && defs[j].Key == defs[i].Key {
			j++
		}
		flow, err := f.summary(ctx, defs[i].Key, defs[i:j])
		if err != nil {
			return FlowList{}, err
		}
		out.Flows = append(out.Flows, flow)
		i = j
	}
	return out, nil
}

// Get returns one flow with its versions.
func (f *Flows) Get(ctx context.Context, p *auth.Principal, key string) (Flow, error) {
	if err := mayManage(p); err != nil {
		return Flow{}, err
	}
	return f.flow(ctx, key)
}

func (f *Flows) flow(ctx context.Context, key string) (Flow, error) {
	defs, err := f.defs.Versions(ctx, key)
	if err != nil {
		return Flow{}, err
	}
	if len(defs) == 0 {
		return Flow{}, errNoFlow(key)
	}
	return f.summary(ctx, key, defs)
}

func errNoFlow(key string) error {
	return problem.NotFound("流程不存在："+key, "no such flow: "+key)
}

// summary is the Flow of key's versions (oldest first, at least one).
func (f *Flows) summary(ctx context.Context, key string, defs []workflow.Definition) (Flow, error) {
	a, _, err := f.defs.Activation(ctx, key)
	if err != nil {
		return Flow{}, err
	}
	last := defs[len(defs)-1]
	flow := Flow{Key: key, Name: last.Name, Active: last.Version, Latest: last.Version, Versions: make([]VersionInfo, 0, len(defs)),
		ActivatedBy: a.By, ActivatedAt: a.At}
	if a.Version > 0 {
		flow.Active = a.Version
	}
	for _, d := range defs {
		flow.Versions = append(flow.Versions, VersionInfo{Version: d.Version, Name: d.Name, Nodes: len(d.Nodes)})
	}
	return flow, nil
}

// Version returns one version of a flow.
func (f *Flows) Version(ctx context.Context, p *auth.Principal, key, version string) (workflow.Definition, error) {
	if err := mayManage(p); err != nil {
		return workflow.Definition{}, err
	}
	n, ok := parseVersion(version)
	if !ok {
		return workflow.Definition{}, errNoVersion(key, version)
	}
	d, err := f.defs.Definition(ctx, key, n)
	if err != nil {
		return workflow.Definition{}, err
	}
	return *d, nil
}

func errNoVersion(key, version string) error {
	return problem.NotFound("流程版本不存在："+key+"@"+version, "no such flow version: "+key+"@"+version)
}

var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)

// parseVersion reads a version number from a path.
func parseVersion(s string) (int, bool) {
	v, err := strconv.Atoi(s)
	return v, err == nil && v >= 1 && v <= 1_000_000 && strconv.Itoa(v) == s
}

// Check validates def as flow key's next version without saving it: the
// editor's 校验. The answer names each wrong field ("nodes[2].assign").
func (f *Flows) Check(ctx context.Context, p *auth.Principal, key string, def workflow.Definition) (Checked, error) {
	if err := mayManage(p); err != nil {
		return Checked{}, err
	}
	def, err := f.next(ctx, key, def)
	if err != nil {
		return Checked{}, err
	}
	if err := def.Validate(); err != nil {
		return Checked{}, err
	}
	return Checked{Valid: true, Version: def.Version}, nil
}

// Checked is a definition found valid, and the version it would be saved as.
type Checked struct {
	Valid   bool `json:"valid"`
	Version int  `json:"version"`
}

// next gives def the key and the next version number of flow key.
func (f *Flows) next(ctx context.Context, key string, def workflow.Definition) (workflow.Definition, error) {
	if !keyPattern.MatchString(key) {
		return def, problem.Invalid(problem.Field("key", "标识须为小写字母开头的字母、数字、- 或 _，不超过 40 个字符",
			"the key must be lower-case letters, digits, - or _, starting with a letter, at most 40"))
	}
	if def.Key != "" && def.Key != key {
		return def, problem.Invalid(problem.Field("key", "流程标识与地址不符："+def.Key, "the key differs from the path's: "+def.Key))
	}
	defs, err := f.defs.Versions(ctx, key)
	if err != nil {
		return def, err
	}
	def.Key, def.Version = key, 1
	if len(defs) > 0 {
		def.Version = defs[len(defs)-1].Version + 1
	}
	return def, nil
}

// Save stores def as the next version of flow key (a new flow's first),
// validated by the engine, with its audit entry. It does not activate it:
// new runs keep starting on the active version until someone does (a flow
// no one has activated a version of runs its highest: Save pins that one
// first).
func (f *Flows) Save(ctx context.Context, a records.Actor, key string, def workflow.Definition) (workflow.Definition, error) {
	const action = "flow.save"
	if err := mayManage(a.P); err != nil {
		return workflow.Definition{}, refused(ctx, f.trail, a, action, workflow.DefinitionCollection+"/"+key, err)
	}
	var saved workflow.Definition
	err := store.Retry(ctx, func(ctx context.Context) error {
		d, err := f.next(ctx, key, def)
		if err != nil {
			return err
		}
		w, err := workflow.DefinitionWrite(d)
		if err != nil {
			return err
		}
		writes := []store.Write{w}
		// Before anyone activated a version, the highest is active: pin the
		// one in force now, so that saving does not activate.
		if a, expect, err := f.defs.Activation(ctx, key); err != nil {
			return err
		} else if a.Version == 0 && d.Version > 1 {
			pin, err := workflow.ActivationWrite(workflow.Activation{Key: key, Version: d.Version - 1, At: f.now().UTC()}, expect)
			if err != nil {
				return err
			}
			writes = append(writes, pin)
		}
		_, err = f.trail.Commit(ctx, writes, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: action,
			Target: workflow.DefinitionCollection + "/" + d.ID(), Outcome: audit.Success,
			Details: map[string]any{"key": d.Key, "version": d.Version, "name": d.Name, "nodes": len(d.Nodes)}})
		saved = d
		return err // a conflict: another version was saved meanwhile; number again
	})
	if errors.Is(err, store.ErrConflict) {
		return workflow.Definition{}, problem.Conflict("流程已被他人同时保存，请刷新后重试", "the flow was saved by someone else at the same time: reload and try again")
	}
	return saved, err
}

// Activation is the body of an activation: the version new runs start on.
type Activation struct {
	Version int `json:"version" validate:"required,min=1,max=1000000"`
}

// Activate makes version the one new runs of flow key start on. Running
// instances keep theirs.
func (f *Flows) Activate(ctx context.Context, a records.Actor, key string, in Activation) (Flow, error) {
	const action = "flow.activate"
	target := workflow.ActiveCollection + "/" + key
	if err := mayManage(a.P); err != nil {
		return Flow{}, refused(ctx, f.trail, a, action, target, err)
	}
	if _, err := f.defs.Definition(ctx, key, in.Version); err != nil {
		if p := problem.As(err); p != nil && p.Status == 404 {
			return Flow{}, problem.Invalid(problem.Field("version", fmt.Sprintf("流程 %s 没有第 %d 版", key, in.Version),
				fmt.Sprintf("flow %s has no version %d", key, in.Version)))
		}
		return Flow{}, err
	}
	err := store.Retry(ctx, func(ctx context.Context) error {
		old, expect, err := f.defs.Activation(ctx, key)
		if err != nil {
			return err
		}
		w, err := workflow.ActivationWrite(workflow.Activation{Key: key, Version: in.Version, By: a.P.UserID, At: f.now().UTC()}, expect)
		if err != nil {
			return err
		}
		_, err = f.trail.Commit(ctx, []store.Write{w}, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: action,
			Target: target, Outcome: audit.Success, Details: map[string]any{"version": in.Version, "previous": old.Version}})
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		return Flow{}, problem.Conflict("流程已被他人同时启用其他版本，请刷新后重试", "another version was activated at the same time: reload and try again")
	}
	if err != nil {
		return Flow{}, err
	}
	return f.flow(ctx, key)
}
