package auth

import (
	"testing"

	"zhengwu/shared/classification"
)

func TestAccessNeedsClearanceAndAToken(t *testing.T) {
	member := &Principal{UserID: "u1", Clearance: classification.Mimi, Departments: []string{"xinxi"}}
	reviewer := &Principal{UserID: "u2", Clearance: classification.Jimi,
		Perms: map[string][]string{PermInfoReview.Key(): {OfficeWide}}}
	deptOnly := Access{Classification: classification.Mimi, Readers: []string{Member("xinxi"), Holder(PermInfoReview, "xinxi")}}
	if !deptOnly.Allows(member) {
		t.Error("a member of the department is refused")
	}
	// An office-wide grant is not a grant in each department: the
	// department decides whether office-wide holders read its items.
	if deptOnly.Allows(reviewer) {
		t.Error("an office-wide reviewer reads a department-only item")
	}
	secret := Access{Classification: classification.Jimi, Readers: []string{Staff}}
	if secret.Allows(member) || !secret.Allows(reviewer) {
		t.Error("clearance is not applied")
	}
	if (Access{Classification: classification.Feimi, Readers: []string{Staff}}).Allows(nil) {
		t.Error("an anonymous reader is allowed")
	}
	if (Access{Classification: "内部", Readers: []string{Staff}}).Allows(reviewer) {
		t.Error("an unknown 密级 is readable")
	}
}
