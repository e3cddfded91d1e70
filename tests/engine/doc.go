// Package engine runs the tenant and baseline programs inside Pulumi's real
// engine, in-process (pkg/v3's lifecycle test framework), against a test
// provider for "aws" that behaves like the Terraform-bridged provider where
// the programs depend on it (tests/awsprovider, which says what it mirrors
// and where each behaviour was read).
package engine
