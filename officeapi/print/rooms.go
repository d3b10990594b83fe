package print

import (
	"fmt"
	"slices"

	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
)

// Room is where a job may be printed: the office's own 文印室 or a
// designated print shop (定点印刷厂), with the highest 密级 it may take —
// the secrecy policy's word on which premises may print classified
// material (涉密载体印制: only premises approved for that level).
type Room struct {
	ID     string               `json:"id"`
	Name   string               `json:"name"`
	Kind   string               `json:"kind"` // room 文印室, shop 印刷厂
	Max    classification.Level `json:"maxClassification"`
	Remark string               `json:"remark,omitempty"`
}

// DefaultRoom is where a job goes unless another is chosen.
const DefaultRoom = "wenyin"

// Rooms are the print rooms and shops the office may send jobs to. A
// deployment with others edits this list (data, not code paths).
var Rooms = []Room{
	{ID: DefaultRoom, Name: "办公厅文印室", Kind: "room", Max: classification.Jimi, Remark: "涉密载体印制场所，可印制机密级及以下文件"},
	{ID: "jiguan-yinshua", Name: "省直机关定点印刷厂", Kind: "shop", Max: classification.Mimi, Remark: "国家秘密载体印制资质（秘密级）"},
	{ID: "shehui-kuaiyin", Name: "社会快印店（协议）", Kind: "shop", Max: classification.Feimi, Remark: "仅限非密文件"},
}

// roomOf is the room id names, or a problem naming field.
func roomOf(id, field string, level classification.Level) (Room, error) {
	if id == "" {
		id = DefaultRoom
	}
	i := slices.IndexFunc(Rooms, func(r Room) bool { return r.ID == id })
	if i < 0 {
		return Room{}, problem.Invalid(problem.Field(field, "没有这个文印室或印刷厂", "no such print room or shop"))
	}
	r := Rooms[i]
	if !r.Max.Covers(level) {
		return Room{}, problem.Invalid(problem.Field(field,
			fmt.Sprintf("%s只能印制%s及以下的文件，不能印制%s文件", r.Name, r.Max, level),
			fmt.Sprintf("%s may print up to %s only", r.ID, r.Max)))
	}
	return r, nil
}
