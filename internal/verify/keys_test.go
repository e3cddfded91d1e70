package verify

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"
)

type emptyKMS struct{}

func (emptyKMS) DescribeKey(context.Context, *kms.DescribeKeyInput, ...func(*kms.Options)) (*kms.DescribeKeyOutput, error) {
	return &kms.DescribeKeyOutput{}, nil
}

// A DescribeKey answer without metadata is an error for every reader of
// keys (the checks, key resolution, discovery), never a nil to panic on.
func TestDescribeKeyWithoutMetadata(t *testing.T) {
	if md, err := describeKey(context.Background(), emptyKMS{}, "alias/tk-acme"); err == nil || md != nil || !strings.Contains(err.Error(), "KeyMetadata") {
		t.Errorf("empty answer: %v %v", md, err)
	}
}
