// Package naming turns stable keys (CIDRs, zone IDs) into valid Pulumi
// resource name parts.
package naming

import "strings"

var replacer = strings.NewReplacer("/", "-", ".", "-", ":", "-")

// Safe replaces the characters of CIDRs and ARNs that do not belong in a
// resource name with hyphens: "10.0.0.0/8" becomes "10-0-0-0-8".
func Safe(s string) string { return replacer.Replace(s) }
