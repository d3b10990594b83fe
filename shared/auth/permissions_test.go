package auth

import "testing"

func TestTheRegistryIsConsistent(t *testing.T) {
	if err := CheckRegistry(); err != nil {
		t.Fatal(err)
	}
}

// CheckRegistry must catch the mistakes it exists for; each case breaks
// the table in one way and restores it.
func TestCheckRegistryRefusesBrokenTables(t *testing.T) {
	saved := Roles
	t.Cleanup(func() { Roles = saved })
	cases := map[string][]Role{
		"undeclared permission": append(clone(saved), Role{Key: "x", Perms: []Permission{{key: "no.such"}}}),
		"duplicate role":        append(clone(saved), Role{Key: RoleStaff, Perms: []Permission{PermOfficeRead}}),
		"officer permission shared": append(clone(saved),
			Role{Key: "helpdesk", Perms: []Permission{PermUserManage}}),
	}
	for name, roles := range cases {
		Roles = roles
		if err := CheckRegistry(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	Roles = saved
	declared["orphan.perm"] = Permission{key: "orphan.perm"}
	defer delete(declared, "orphan.perm")
	if err := CheckRegistry(); err == nil {
		t.Error("a permission no role holds: accepted")
	}
}

func clone(rs []Role) []Role { return append([]Role(nil), rs...) }
