package officialdoc

import (
	"context"

	"zhengwu/officeapi/workflow"
)

// Follow is follow for the benchmark's seed (bench_test.go), which writes
// documents as a step leaves them without running a step for each.
func (s *Service) Follow(ctx context.Context, d *Document, in workflow.Instance) error {
	return s.follow(ctx, d, in)
}

// FieldsOf is fieldsOf: the subject fields a flow started by Submit reads.
func FieldsOf(d *Document) map[string]string { return fieldsOf(d) }
