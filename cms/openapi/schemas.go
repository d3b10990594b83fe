package openapi

import "zhengwu/cms/item"

func schemas() obj {
	validity := obj{"type": "string", "enum": item.Validities, "description": "效力状态"}
	linkRef := obj{"type": "object", "required": []string{"id", "title"}, "properties": obj{
		"id": str("稿件 id"), "title": str("标题"), "path": str("路径"),
		"docNumber": str("文号"), "validity": obj{"type": "string"},
	}}
	return obj{
		"Problem": obj{
			"type": "object", "description": "RFC 9457 problem details",
			"required": []string{"type", "title", "status", "detail", "code"},
			"properties": obj{
				"type": str("问题类型 URI"), "title": str("HTTP 状态短语"), "status": obj{"type": "integer"},
				"detail": str("中文说明"), "code": str("稳定的错误代码，例如 invalid、conflict、not_found"),
				"messageZh": str("中文说明"), "messageEn": str("English message"), "instance": str("请求路径"),
				"requestId": str("请求 id，报障时提供"),
				"errors": arr(obj{"type": "object", "required": []string{"field", "message"}, "properties": obj{
					"field": str("字段名"), "message": str("中文说明"), "messageEn": str("English"),
				}}),
			},
		},
		"ChannelNode": obj{
			"type": "object", "required": []string{"key", "name", "children"},
			"properties": obj{
				"key": str("稳定的栏目标识"), "name": str("栏目名称"),
				"parent": str("上级栏目"), "types": arr(obj{"type": "string"}),
				"visibility": obj{"type": "string", "enum": []string{"public", "internal"}},
				"department": str("主管处室"), "order": obj{"type": "integer"},
				"reviewSteps": arr(obj{"type": "string"}),
				"children":    arr(ref("ChannelNode")),
			},
		},
		"Channels": arr(ref("ChannelNode")),
		"Item": obj{
			"type": "object", "required": []string{"id", "type", "channel", "title", "status"},
			"properties": obj{
				"id": str("稿件 id"), "type": obj{"type": "string", "enum": []string{"article", "policy", "speech", "activity", "report"}},
				"channel": str("栏目"), "department": str("所属处室"), "path": str("路径"),
				"visibility": obj{"type": "string", "enum": []string{"public", "internal"}},
				"title":      str("标题"), "subtitle": str("副标题"), "summary": str("摘要"), "body": str("正文（已净化的 HTML）"),
				"source": str("来源"), "author": str("作者"), "cover": str("封面图片的媒体 id"),
				"policy": obj{"type": "object", "properties": obj{
					"docNumber": str("文号"), "issuers": arr(obj{"type": "string"}), "genre": str("文种"),
					"writtenAt": dateTime("成文日期"), "effectiveAt": dateTime("施行日期"), "expiresAt": dateTime("失效日期"),
					"validity": validity,
				}},
				"leader": obj{"type": "object", "properties": obj{
					"name": str("领导"), "occasion": str("场合"), "date": dateTime("日期"), "place": str("地点"),
				}},
				"report": obj{"type": "object", "properties": obj{
					"series": obj{"type": "string", "enum": []string{"国研报告", "人大复印资料"}}, "issue": str("期次"),
					"authors": arr(obj{"type": "string"}),
				}},
				"attachments": arr(obj{"type": "object", "properties": obj{
					"mediaId": str("媒体 id"), "name": str("文件名"), "size": obj{"type": "integer"}, "type": str("MIME 类型"),
				}}),
				"links": obj{"type": "object", "description": "类型化链接，展开一层；反向链接由查询端给出", "properties": obj{
					"amends": arr(linkRef), "repeals": arr(linkRef), "interprets": arr(linkRef),
					"amendedBy": arr(linkRef), "repealedBy": arr(linkRef), "interpretedBy": arr(linkRef),
				}},
				"banner": obj{"type": "object", "description": "已废止文件的提示条", "properties": obj{
					"text": str("提示文字"), "replacement": linkRef,
				}},
				"status":     obj{"type": "string", "enum": []string{"published", "withdrawn", "redirected", "gone"}},
				"withdrawal": obj{"type": "object", "properties": obj{"reason": str("撤回原因"), "at": dateTime("撤回时间")}},
				"redirectTo": str("重定向目标稿件 id"),
				"edition":    obj{"type": "integer"}, "changeNote": str("修改说明"),
				"publishedAt": dateTime("首次发布时间"), "updatedAt": dateTime("本版本发布时间"),
				"nextChangeAt": dateTime("下一次计划变更时间"),
			},
		},
		"ItemList": obj{
			"type": "object", "required": []string{"items"},
			"properties": obj{
				"items": arr(ref("Item")), "total": obj{"type": "integer"},
				"next": str("下一页游标，作为 cursor 参数传回"),
			},
		},
		"DocumentInput": obj{
			"type": "object", "required": []string{"type", "channel", "department", "fields"},
			"properties": obj{
				"type":    obj{"type": "string", "enum": []string{"article", "policy", "speech", "activity", "report"}},
				"channel": str("栏目"), "department": str("所属处室"),
				"fields":     obj{"type": "object", "description": "按类型的字段，见 docs/portal-api.md"},
				"changeNote": str("修改说明"),
			},
		},
		"DraftInput": obj{
			"type": "object", "required": []string{"version", "fields"},
			"properties": obj{"version": obj{"type": "integer"}, "fields": obj{"type": "object"}, "changeNote": str("修改说明")},
		},
		"Decision": obj{
			"type": "object",
			"properties": obj{
				"version": obj{"type": "integer"}, "comment": str("审核意见"), "reason": str("退回或撤回原因"),
				"publishAt": dateTime("定时发布时间"), "at": dateTime("定时撤回时间"), "to": str("重定向目标"),
				"edition": obj{"type": "integer", "description": "回滚到的版本"},
			},
		},
		"Document": obj{"type": "object", "description": "稿件及其当前草稿、已发布版本与流程状态"},
		"DocumentList": obj{
			"type": "object", "required": []string{"items"},
			"properties": obj{"items": arr(obj{"type": "object"}), "total": obj{"type": "integer"}, "next": obj{"type": "string"}},
		},
		"Editions": obj{"type": "object", "properties": obj{"items": arr(obj{"type": "object"})}},
		"Diff":     obj{"type": "object", "description": "字段级差异"},
		"Preview": obj{"type": "object", "required": []string{"token"}, "properties": obj{
			"token": str("预览令牌"), "url": str("预览地址"), "expiresAt": dateTime("过期时间"),
		}},
		"Upload": obj{"type": "object", "required": []string{"file"}, "properties": obj{
			"file": obj{"type": "string", "contentMediaType": "application/octet-stream"},
		}},
		"Media": obj{"type": "object", "required": []string{"id", "name", "size", "type"}, "properties": obj{
			"id": str("媒体 id（SHA-256）"), "name": str("文件名"), "size": obj{"type": "integer"}, "type": str("MIME 类型"),
			"sha256": str("SHA-256"), "url": str("下载地址"), "thumbnailUrl": str("缩略图地址"),
		}},
		"Binary": obj{"type": "string", "contentMediaType": "application/octet-stream"},
	}
}
