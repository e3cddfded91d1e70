package violations

import (
	"fmt"
	"sort"
	"strings"
)

// Table is the catalogue as docs/verification.md shows it: a count per
// control, then every case (promise, violation, control, check, where it
// runs).
func Table() string {
	var b strings.Builder
	per := map[string][2]int{}
	var controls []string
	for _, c := range Cases {
		n, ok := per[c.Control()]
		if !ok {
			controls = append(controls, c.Control())
		}
		if c.Memory == "" {
			n[0]++
		} else {
			n[1]++
		}
		per[c.Control()] = n
	}
	sort.SliceStable(controls, func(i, j int) bool { return controlOrder(controls[i]) < controlOrder(controls[j]) })
	moto, memory := 0, 0
	for _, c := range Cases {
		if c.Memory == "" {
			moto++
		} else {
			memory++
		}
	}
	fmt.Fprintf(&b, "%d ways to break a promise (%d applied to the tenant the journey deploys into moto, %d to the in-memory world where moto cannot hold them), each of which must FAIL its check:\n\n", len(Cases), moto, memory)
	b.WriteString("| Control | In moto | In memory |\n|---|---|---|\n")
	for _, c := range controls {
		fmt.Fprintf(&b, "| %s | %d | %d |\n", c, per[c][0], per[c][1])
	}
	b.WriteString("\n| Control | Promise | Violation | Check that must FAIL | Where (why not moto) |\n|---|---|---|---|---|\n")
	for _, c := range Cases {
		where := "moto"
		if c.Memory != "" {
			where = "in memory: " + c.Memory
		}
		if c.Suspended {
			where += " (after the suspension)"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | `%s` | %s |\n", c.Control(), c.Promise, c.Violation, c.Check, where)
	}
	return b.String()
}

// controlOrder sorts WP-7 before WP-10 and WP-20.1 before WP-20.5.
func controlOrder(id string) string {
	n := strings.TrimPrefix(id, "WP-")
	major, minor, _ := strings.Cut(n, ".")
	return fmt.Sprintf("%03s.%03s", major, minor)
}
