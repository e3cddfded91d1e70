package tests
import ts "github.com/gruntwork-io/terratest/modules/test-structure"
var _ = ts.RunTestStage
