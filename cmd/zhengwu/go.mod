module zhengwu/cmd/zhengwu

go 1.26.8
