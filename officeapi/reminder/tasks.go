package reminder

import (
	"context"
	"fmt"

	"zhengwu/officeapi/workflow"
	"zhengwu/shared/store"
)

// Tasks yields the open tasks of running flows, each with its instance.
type Tasks interface {
	Open(ctx context.Context, fn func(in *workflow.Instance, t workflow.TaskItem) error) error
}

// StoreTasks reads open tasks from the workflow engine's stored instances.
type StoreTasks struct{ Store store.Store }

// Open calls fn for every open task of every running instance, in
// instance id order.
func (s StoreTasks) Open(ctx context.Context, fn func(in *workflow.Instance, t workflow.TaskItem) error) error {
	for d, err := range store.ScanAll(ctx, s.Store, workflow.InstanceCollection, "") {
		if err != nil {
			return err
		}
		var in workflow.Instance
		if err := d.Decode(&in); err != nil {
			return fmt.Errorf("reminder: decode instance %s: %w", d.ID, err)
		}
		if in.State != workflow.Running {
			continue
		}
		for _, t := range in.Tasks {
			if err := fn(&in, t); err != nil {
				return err
			}
		}
	}
	return nil
}
