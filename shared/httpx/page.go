package httpx

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"zhengwu/shared/problem"
)

// Page is a parsed ?page=&size= pair (page counts from 1).
type Page struct {
	Page int `json:"page"`
	Size int `json:"size"`
}

// Offset is the number of items before this page.
func (p Page) Offset() int { return (p.Page - 1) * p.Size }

// ParsePage reads ?page and ?size with defaults and bounds; a bad value is
// a 400 naming the parameter.
func ParsePage(c *fiber.Ctx, defaultSize, maxSize int) (Page, error) {
	p := Page{Page: 1, Size: defaultSize}
	if s := c.Query("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100000 {
			return p, problem.Invalid(problem.Field("page", "页码必须是 1 到 100000 之间的整数", "page must be an integer from 1 to 100000"))
		}
		p.Page = n
	}
	if s := c.Query("size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxSize {
			return p, problem.Invalid(problem.Field("size",
				"每页条数必须是 1 到 "+strconv.Itoa(maxSize)+" 之间的整数",
				"size must be an integer from 1 to "+strconv.Itoa(maxSize)))
		}
		p.Size = n
	}
	return p, nil
}
