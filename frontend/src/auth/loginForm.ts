// The login form's model and validation rules, apart from the page so they
// are easy to read and test.

import type { FormRules } from 'element-plus'

export interface LoginModel {
  username: string
  password: string
}

export const loginRules: FormRules<LoginModel> = {
  // whitespace: a username of spaces only counts as empty.
  username: [{ required: true, whitespace: true, message: '请输入用户名', trigger: 'blur' }],
  password: [{ required: true, message: '请输入密码', trigger: 'blur' }],
}
