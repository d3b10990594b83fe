module zhengwu/gateway

go 1.26.8
