package workflow

import (
	"context"
	"testing"

	"zhengwu/shared/problem"
)

// Versions come in number order ("test@10" after "test@9", not after
// "test@1"), and Active is the activated one, else the highest.
func TestVersionsAndTheActiveOne(t *testing.T) {
	ctx := context.Background()
	ins, s, _ := stored(t) // test@1 saved
	for v := 2; v <= 11; v++ {
		d := testFlow()
		d.Version = v
		if err := ins.SaveDefinition(ctx, *d); err != nil {
			t.Fatal(err)
		}
	}
	defs, err := ins.Versions(ctx, "test")
	if err != nil || len(defs) != 11 || defs[9].Version != 10 || defs[10].Version != 11 {
		t.Fatalf("versions %d, %v", len(defs), err)
	}
	if active, err := ins.Active(ctx, "test"); err != nil || active != 11 {
		t.Fatalf("active before any activation: %d %v", active, err)
	}
	w, err := ActivationWrite(Activation{Key: "test", Version: 3}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, w.Collection, w.ID, w.Data, w.ExpectVersion); err != nil {
		t.Fatal(err)
	}
	if active, err := ins.Active(ctx, "test"); err != nil || active != 3 {
		t.Fatalf("active after activating 3: %d %v", active, err)
	}
	if _, err := ins.Active(ctx, "nope"); problem.As(err) == nil || problem.As(err).Status != 404 {
		t.Fatalf("a flow without versions: %v", err)
	}
	all, err := ins.Definitions(ctx)
	if err != nil || len(all) != 11 || all[10].Version != 11 {
		t.Fatalf("definitions: %d %v", len(all), err)
	}
}
