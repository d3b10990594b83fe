package deliveryhttp

import (
	"time"

	"zhengwu/cms/delivery"
	"zhengwu/cms/item"
)

// Examples for the description (openapitest validates them against the
// schemas reflected from the same types).
var (
	examplePublished = time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)
	exampleUpdated   = time.Date(2026, 3, 6, 9, 30, 0, 0, time.UTC)

	exampleChannels = []*delivery.ChannelNode{{Key: "files", Name: "政府文件", Types: []string{}, Visibility: "public",
		Department: "zonghe", Order: 20, Children: []*delivery.ChannelNode{{Key: "files-general-office",
			Name: "省政府办公厅文件", Types: []string{"policy"}, Visibility: "public", Department: "zonghe", Order: 20,
			Children: []*delivery.ChannelNode{}}}}}

	exampleItem = delivery.ItemView{
		Item: item.Item{ID: "9f1c2e7a4b0d4c1e8a2b3c4d5e6f7a8b", Type: "policy", Channel: "files-general-office",
			Department: "zonghe", Path: "files/wanzhengban-2026-12", Visibility: "public",
			Title:   "安徽省人民政府办公厅关于进一步优化营商环境的若干意见",
			Summary: "从市场准入、政务服务、要素保障等方面提出二十条措施。",
			Body:    "<p>各市人民政府，省政府各部门、各直属机构：</p><p>为进一步优化营商环境……</p>",
			Policy: &item.Policy{DocNumber: "皖政办〔2026〕12号", Issuers: []string{"安徽省人民政府办公厅"}, Genre: "意见",
				WrittenAt: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Validity: item.ValidityInForce},
			Status: item.StatusPublished, Edition: 2, ChangeNote: "更正第五条表述",
			PublishedAt: examplePublished, UpdatedAt: exampleUpdated},
		Links: delivery.Links{InterpretedBy: []delivery.LinkRef{{ID: "a1b2",
			Title: "《关于进一步优化营商环境的若干意见》政策解读", Path: "files/jiedu-2026-12"}}},
	}

	examplePage = delivery.Page{Total: 1, Items: []delivery.Summary{{ID: exampleItem.ID, Type: "policy",
		Channel: "files-general-office", Department: "zonghe", Path: exampleItem.Path, Visibility: "public",
		Status: item.StatusPublished, Title: exampleItem.Title, Summary: exampleItem.Summary,
		PublishedAt: &examplePublished, UpdatedAt: &exampleUpdated,
		Policy: &delivery.SummaryPolicy{DocNumber: "皖政办〔2026〕12号", Validity: item.ValidityInForce, Genre: "意见",
			Issuers: []string{"安徽省人民政府办公厅"}}}}}
)
