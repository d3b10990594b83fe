module zhengwu/gateway

go 1.26.8

require zhengwu/shared v0.0.0

replace zhengwu/shared => ../shared
