package channel

// Content types (the item's "type").
const (
	TypeArticle  = "article"  // news / article (政务要闻 and the like)
	TypePolicy   = "policy"   // policy file (政策文件), incl. 政策解读
	TypeSpeech   = "speech"   // a leader's speech (讲话)
	TypeActivity = "activity" // a leader's activity (活动)
	TypeReport   = "report"   // research report (国研报告, 人大复印资料)
)

// Standard is the office's channel tree, seeded on first start. 政府文件
// is office-wide: a file is drafted by whichever department handles its
// matter (综合处 in the demo data, 信息处's editors in the browser tests),
// so every department posts its own files there; the other columns belong
// to the department that runs them. Every standard channel keeps the
// default review settings (each step by a different person).
var Standard = []Channel{
	{Key: "leaders", Name: "领导文库", Visibility: Public, Department: "mishu1", Order: 10},
	{Key: "leader-wang", Name: "王建国同志", Parent: "leaders", Visibility: Public, Department: "mishu1", Order: 10},
	{Key: "leader-wang-speeches", Name: "讲话", Parent: "leader-wang", Types: []string{TypeSpeech}, Visibility: Public, Department: "mishu1", Order: 10},
	{Key: "leader-wang-activities", Name: "活动", Parent: "leader-wang", Types: []string{TypeActivity}, Visibility: Public, Department: "mishu1", Order: 20},
	{Key: "leader-zhao", Name: "赵秀兰同志", Parent: "leaders", Visibility: Public, Department: "mishu1", Order: 20},
	{Key: "leader-zhao-speeches", Name: "讲话", Parent: "leader-zhao", Types: []string{TypeSpeech}, Visibility: Public, Department: "mishu1", Order: 10},
	{Key: "leader-zhao-activities", Name: "活动", Parent: "leader-zhao", Types: []string{TypeActivity}, Visibility: Public, Department: "mishu1", Order: 20},

	{Key: "files", Name: "政府文件", Visibility: Public, Department: OfficeWide, Order: 20},
	{Key: "files-provincial-government", Name: "省政府文件", Parent: "files", Types: []string{TypePolicy}, Visibility: Public, Department: OfficeWide, Order: 10},
	{Key: "files-general-office", Name: "省政府办公厅文件", Parent: "files", Types: []string{TypePolicy}, Visibility: Public, Department: OfficeWide, Order: 20},
	{Key: "files-interpretation", Name: "政策解读", Parent: "files", Types: []string{TypePolicy, TypeArticle}, Visibility: Public, Department: OfficeWide, Order: 30},

	{Key: "news", Name: "政务要闻", Types: []string{TypeArticle}, Visibility: Public, Department: "xinxi", Order: 30},

	{Key: "library", Name: "资料库", Visibility: Internal, Department: "xinxi", Order: 40},
	{Key: "library-drc", Name: "国研报告", Parent: "library", Types: []string{TypeReport}, Visibility: Internal, Department: "xinxi", Order: 10},
	{Key: "library-rdfy", Name: "人大复印资料", Parent: "library", Types: []string{TypeReport}, Visibility: Internal, Department: "xinxi", Order: 20},
}
