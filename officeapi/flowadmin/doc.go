// Package flowadmin is the office's business configuration (#11): the flow
// definitions (流程定义) the workflow engine runs and the working calendar
// (工作日历) it counts deadlines on, kept by a business administrator
// (flow.manage: the 业务管理员 role, not one of the three officers).
//
// Flows: every version of a flow is stored and immutable (workflow); an
// edit is saved as the next version, validated by the engine, and becomes
// what new runs start on only when activated. A running instance keeps the
// version it started with (workflow.Instance.Version), so neither saving
// nor activating changes it.
//
// Calendar: an edit replaces one year's holidays and make-up working days
// (workcal.Year, validated by workcal's rules), is stored with its audit
// entry, and is applied at once to the calendar the engine asks at each
// step (a workcal.Live); other processes pick it up at their next reload.
package flowadmin
