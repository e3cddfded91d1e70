// Package awsprovider is the test provider for the "aws" package that the
// engine suite (tests/engine, in-process) and the journey (tests/journey,
// the Pulumi CLI with this package served as the pulumi-resource-aws
// plugin) deploy the programs with.
//
// Its CheckConfig, Check (auto-naming), Diff (what forces a replacement)
// and call log mirror the Terraform-bridged provider where the programs
// depend on it; account.go cites where each behaviour was read. Resources
// live either in memory (an Account on its own) or, for every type moto
// implements, in moto: Create, Read, Update and Delete then make the AWS
// API calls the Terraform AWS provider makes for those inputs (moto*.go,
// each type citing its terraform-provider-aws source file), with ids and
// ARNs moto's. MotoTypes and MemoryTypes list which is which.
package awsprovider
