package verify

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// maxPages bounds one listing. Every listing verify makes is scoped to a
// tenant (its VPC, its names, its tag): a hundred pages is thousands of
// items, far past any tenant; an endpoint that keeps handing out new
// tokens is broken or hostile, and following it would cost memory and
// requests without end.
const maxPages = 100

// allPages reads a listing AWS may page. page reads the page a token
// names (nil: the first) and returns the next page's token (nil or empty:
// the last page). A token that comes back is a loop and a listing past
// maxPages an endless one: both are errors, since what was read is not the
// whole answer and a check on part of it could pass what page two holds.
func allPages(what string, page func(token *string) (next *string, err error)) error {
	seen := map[string]bool{}
	var token *string
	for n := 1; ; n++ {
		next, err := page(token)
		if err != nil {
			return err
		}
		tok := aws.ToString(next)
		switch {
		case tok == "":
			return nil
		case seen[tok]:
			return fmt.Errorf("%s: page %d names a page already read (token %.40q): a listing that never ends, not read to its end", what, n, tok)
		case n == maxPages:
			return fmt.Errorf("%s: more than %d pages, far past any tenant's listing: not read to its end", what, maxPages)
		}
		seen[tok] = true
		token = aws.String(tok)
	}
}

// collectPages is allPages for a listing read whole: page returns its
// items and the next token, and the items of every page come back in order.
func collectPages[T any](what string, page func(token *string) (items []T, next *string, err error)) ([]T, error) {
	var all []T
	err := allPages(what, func(token *string) (*string, error) {
		items, next, err := page(token)
		all = append(all, items...)
		return next, err
	})
	return all, err
}
