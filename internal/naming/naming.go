// Package naming turns stable keys (CIDRs, zone IDs, tenant ids) into valid
// Pulumi resource name parts and AWS physical names, and holds the AWS name
// rules of every resource type the programs create.
package naming

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

var replacer = strings.NewReplacer("/", "-", ".", "-", ":", "-")

// Safe replaces the characters of CIDRs and ARNs that do not belong in a
// resource name with hyphens: "10.0.0.0/8" becomes "10-0-0-0-8".
func Safe(s string) string { return replacer.Replace(s) }

// Fit returns name unchanged when it has at most max characters; otherwise
// it keeps as much of the name as fits with a hyphen and 8 hex characters of
// its SHA-256, so the result is stable across runs, unique in practice, and
// still starts like the name (tk-<tenant...>).
func Fit(name string, max int) string {
	if len(name) <= max {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	suffix := hex.EncodeToString(sum[:])[:8]
	keep := strings.TrimRight(name[:max-len(suffix)-1], "-")
	return keep + "-" + suffix
}
