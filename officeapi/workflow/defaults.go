package workflow

import (
	"embed"
	"fmt"
	"io/fs"
)

// The default flows' keys: 发文 and 收文 (#11), shipped as data files an
// authorised role may replace with new versions.
const (
	Outgoing = "outgoing" // 起草 → 审核 → 会签 → 签发 → 复核 → 登记编号 → 印制 → 核发 → 归档
	Incoming = "incoming" // 签收 → 登记 → 初审 → 拟办 → 批办 → 承办 → 传阅 → 办结 → 归档
)

//go:embed data/*.json
var dataFiles embed.FS

// Defaults returns the shipped flows by key, each parsed and validated. A
// capability saves the ones the store lacks (SaveDefinition) at its first
// start. The subject fields they read: department, cosign ("yes"),
// cosigners and readers (user ids, comma separated), handlingOffice,
// leadDepartment (org ids), urgency (特急, 加急).
// Each call parses afresh, so a caller may change what it gets.
func Defaults() (map[string]Definition, error) {
	names, err := fs.Glob(dataFiles, "data/*.json")
	if err != nil {
		return nil, err
	}
	out := map[string]Definition{}
	for _, name := range names {
		raw, err := dataFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		d, err := ParseDefinition(raw)
		if err != nil {
			return nil, fmt.Errorf("workflow: %s: %w", name, err)
		}
		if want := "data/" + d.Key + ".json"; name != want {
			return nil, fmt.Errorf("workflow: %s holds flow %s", name, d.Key)
		}
		out[d.Key] = d
	}
	return out, nil
}
