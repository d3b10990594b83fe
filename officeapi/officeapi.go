// Package officeapi is the office business system's API (办公业务系统),
// mounted under /api/office/v1. Each capability is a folder with a domain
// package and a thin HTTP layer that lists its routes with their
// description: identity (organisation, users, grants, login, the three
// officers), info (the department information platforms), leave (请假,
// the worked example of docs/adding-a-capability.md), desktop (the
// personal desktop every capability contributes to). Beside them: records,
// the kit a capability keeps its documents in, and workcal, the working
// calendar that time limits count on. The binary's module table
// (cmd/zhengwu/modules.go) builds and mounts the capabilities.
//
// This package holds what they share as one API: its base path and its
// description, assembled from the routes of the capabilities a process
// runs.
package officeapi

import (
	"zhengwu/officeapi/desktop/desktophttp"
	"zhengwu/officeapi/identity/identityhttp"
	"zhengwu/officeapi/info/infohttp"
	"zhengwu/officeapi/video/videohttp"
	"zhengwu/shared/openapi"
)

// Base is the office API's prefix.
const Base = "/api/office/v1"

// API is the office API's description: the given routes' (the
// capabilities mounted in this process) and the document's own two.
func API(routes []openapi.Route) openapi.API {
	tags := append([]openapi.Tag{}, identityhttp.Tags...)
	tags = append(tags, infohttp.Tag, desktophttp.Tag, videohttp.Tag,
		// Titled here: sealhttp imports officialdoc, whose tests import this package.
		openapi.Tag{Name: "seal", Title: "电子印章：发文单位的 SM2 印章密钥、印章图片与验章"},
		openapi.Tag{Name: "print", Title: "文印室：公文印制与普通印制"},
		openapi.Tag{Name: "meeting", Title: "会务：会议室、会议预订与冲突检测、通知与回执、签到、排座、席卡、纪要"},
		openapi.Tag{Name: "duty", Title: "值班：值班表、调班、值班记录、交接班、月报"},
		openapi.Tag{Name: "chat", Title: "即时通讯：单聊与群聊、历史消息、已读、WebSocket 实时收发"},
		openapi.Tag{Name: "assistant", Title: "个人助理：日程（叠加会议与领导活动）、待办、便笺、通讯录"},
		openapi.Tag{Name: "mail", Title: "内部邮件：收发、草稿、文件夹、已读回执、撤回、群组"},
		openapi.Tag{Name: "forum", Title: "论坛：全办与处室版块、帖子与回复、置顶与精华、版主管理（隐藏、锁定、移动）、@提及"},
		openapi.Tag{Name: "notifications", Title: "消息提醒：本人的消息、未读数、已读、提醒设置"},
		openapi.Tag{Name: "gateway", Title: "数据网关：运行状态"}, openapi.Tag{Name: "docs", Title: "接口文档"})
	return openapi.API{
		Title: "办公业务系统 Office API",
		Description: "办公业务系统的接口：登录与会话、组织与用户、三员授权与账号变更、审计日志、个人桌面、处室信息平台，以及数据网关的运行状态。" +
			"除登录、刷新、退出和本文档外都须携带访问令牌（Authorization: Bearer，15 分钟有效，用刷新令牌换新）。" +
			"需要权限的接口在 x-permission 中写明所需权限，x-scope 写明范围（office 全办授权，department 对象所属处室的授权，any 任一处室的授权），x-permission-or 列出同样可以的其他权限；" +
			"x-collection 写明路径中 {id} 所指文档所在的集合。" +
			"Errors are RFC 9457 application/problem+json with a stable `code`, a Chinese `detail` (also `messageZh`), `messageEn`, the invalid `errors[].field`s and a `requestId`. " +
			"Every route may also answer 429 (per-address rate limit, `--rate-limit`), 413 (body over the limit) and 415 (a body that is not application/json); " +
			"request bodies are strict JSON: unknown fields are refused (400 malformed_body).",
		Base:           Base,
		Tags:           tags,
		Ops:            append(openapi.Ops(routes), openapi.DocOps("docs")...),
		Schemas:        bodySchemas,
		ProblemExample: problemExample,
	}
}

// bodySchemas are the bodies that are not JSON: the printed 公文
// (officialdochttp.PDFRoutes), a seal's image (sealhttp).
var bodySchemas = openapi.Obj{"OfficialdocPDF": openapi.Obj{"type": "string", "contentMediaType": "application/pdf",
	"description": "GB/T 9704-2012 版式的公文 PDF"},
	"SealImage": openapi.Obj{"type": "string", "contentMediaType": "image/png", "description": "电子印章图片（PNG，透明底）"},
	"PrintFile": openapi.Obj{"type": "string", "contentMediaType": "application/octet-stream",
		"description": "印制任务的文件（公文为版式 PDF）"},
	"MeetingPDF": openapi.Obj{"type": "string", "contentMediaType": "application/pdf", "description": "会议的席卡或座次图 PDF"},
	"MeetingPNG": openapi.Obj{"type": "string", "contentMediaType": "image/png", "description": "会议的座次图 PNG"},
	"DutySummaryXLSX": openapi.Obj{"type": "string", "contentMediaType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"description": "值班月报（XLSX）"},
	// The archive's export package (archivehttp).
	"ArchiveZip": openapi.Obj{"type": "string", "contentMediaType": "application/zip",
		"description": "档案移交包：每件档案的 metadata.json 和组成文件，以及 SHA-256 校验清单 manifest-sha256.txt"}}

var problemExample = map[string]any{"type": "https://zhengwu.gov.cn/problems/invalid", "title": "Bad Request", "status": 400,
	"detail":    "classification: 密级为“秘密”的信息不得发往门户网站，只有非密信息可以",
	"code":      "invalid",
	"messageZh": "classification: 密级为“秘密”的信息不得发往门户网站，只有非密信息可以",
	"messageEn": "classification: only unclassified (非密) items may go to the portal",
	"instance":  "/api/office/v1/info/items/f9099ec1-0b24-44dc-a8f2-0e505392347f/designate",
	"requestId": "3f2a9c1e-7b4d-4e8a-9c0f-1d2e3f4a5b6c",
	"errors": []map[string]any{{"field": "classification", "message": "密级为“秘密”的信息不得发往门户网站，只有非密信息可以",
		"messageEn": "only unclassified (非密) items may go to the portal"}},
	"classification": "秘密"}
