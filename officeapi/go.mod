module zhengwu/officeapi

go 1.26.8
