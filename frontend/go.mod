module zhengwu/frontend

go 1.26.8
