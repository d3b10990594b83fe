package deliveryhttp

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"zhengwu/cms/channel"
	"zhengwu/cms/delivery"
	"zhengwu/cms/item"
)

// listQuery is written out by hand for speed: it must read every
// parameter delivery.ListQuery declares (and the description lists), into
// its field.
func TestListQueryReadsEveryDeclaredParameter(t *testing.T) {
	t.Parallel()
	app := fiber.New()
	typ := reflect.TypeOf(delivery.ListQuery{})
	for i := range typ.NumField() {
		f := typ.Field(i)
		name := f.Tag.Get("query")
		if name == "" {
			t.Errorf("field %s has no query tag", f.Name)
			continue
		}
		value := "政务"
		if f.Type.Kind() == reflect.Pointer {
			value = "7"
		}
		var fctx fasthttp.RequestCtx
		fctx.Request.SetRequestURI("/items?" + name + "=" + value)
		c := app.AcquireCtx(&fctx)
		q, err := listQuery(c)
		app.ReleaseCtx(c)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := reflect.ValueOf(q).Field(i)
		switch {
		case got.Kind() == reflect.String && got.String() == value:
		case got.Kind() == reflect.Pointer && !got.IsNil() && got.Elem().Int() == 7:
		default:
			t.Errorf("?%s=%s was not read into %s: %+v", name, value, f.Name, q)
		}
	}
	var fctx fasthttp.RequestCtx
	fctx.Request.SetRequestURI("/items?size=twenty")
	c := app.AcquireCtx(&fctx)
	defer app.ReleaseCtx(c)
	if _, err := listQuery(c); err == nil || !strings.Contains(err.Error(), "size") {
		t.Errorf("size=twenty: %v", err)
	}
}

// listQuery reads a query string as Fiber (fasthttp) does: escapes, +,
// a parameter given twice, empty values, an escaped name, a malformed
// escape.
func TestListQueryReadsAsFiberDoes(t *testing.T) {
	t.Parallel()
	app := fiber.New()
	typ := reflect.TypeOf(delivery.ListQuery{})
	for _, qs := range []string{
		"channel=news&size=20",
		"channel=%E6%94%BF%E5%8A%A1&genre=%E9%80%9A%E7%9F%A5+%E6%84%8F%E8%A7%81&issuer=a+b",
		"channel=news&channel=files&size=5&size=6",
		"channel=&type=policy&fields=title,%20body",
		"%63hannel=news&si%7Ae=7",
		"cursor=%%%&from=2026-01-01&to=2026-02-01&sort=-publishedAt&status=published,withdrawn",
		"validity=%E6%9C%89%E6%95%88&year=2026&page=2&consistentWith=12&department=xinxi&unknown=1",
		"&&=x&channel",
		"genre=a%41%2&issuer=%zz%4&department=%",
	} {
		var fctx fasthttp.RequestCtx
		fctx.Request.SetRequestURI("/items?" + qs)
		c := app.AcquireCtx(&fctx)
		got, err := listQuery(c)
		if err != nil {
			t.Fatalf("%s: %v", qs, err)
		}
		want := reflect.New(typ).Elem()
		for i := range typ.NumField() {
			raw := c.Query(typ.Field(i).Tag.Get("query"))
			if raw == "" {
				continue
			}
			if f := want.Field(i); f.Kind() == reflect.Pointer {
				n, err := strconv.Atoi(raw)
				if err != nil {
					t.Fatalf("%s: %v", qs, err)
				}
				f.Set(reflect.ValueOf(&n))
			} else {
				f.SetString(raw)
			}
		}
		app.ReleaseCtx(c)
		if !reflect.DeepEqual(got, want.Interface()) {
			t.Errorf("%s:\n got  %+v\n want %+v", qs, got, want.Interface())
		}
	}
}

// The enumerations the validate tags write out are the domain's.
func TestListQueryEnumerationsAreTheDomains(t *testing.T) {
	t.Parallel()
	typ := reflect.TypeOf(delivery.ListQuery{})
	oneof := func(field string) []string {
		f, _ := typ.FieldByName(field)
		for _, r := range strings.Split(f.Tag.Get("validate"), ",") {
			if v, ok := strings.CutPrefix(r, "oneof="); ok {
				return strings.Fields(v)
			}
		}
		return nil
	}
	if got := oneof("Validity"); !slices.Equal(got, item.Validities) {
		t.Errorf("validity: %v, item.Validities %v", got, item.Validities)
	}
	types := []string{channel.TypeArticle, channel.TypePolicy, channel.TypeSpeech, channel.TypeActivity, channel.TypeReport}
	if got := oneof("Type"); !slices.Equal(got, types) {
		t.Errorf("type: %v, want %v", got, types)
	}
}
