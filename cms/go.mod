module zhengwu/cms

go 1.26.8
