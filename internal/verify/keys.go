package verify

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// keyDescriber is what reads a key: the checks' KMS client and discovery's.
type keyDescriber interface {
	DescribeKey(context.Context, *kms.DescribeKeyInput, ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
}

// describeKey reads a key's metadata; an answer without it is an error
// (an ERROR, never a verdict), whoever asks.
func describeKey(ctx context.Context, c keyDescriber, id string) (*kmstypes.KeyMetadata, error) {
	out, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	if err != nil {
		return nil, err
	}
	if out.KeyMetadata == nil {
		return nil, errEmpty("kms:DescribeKey", "KeyMetadata")
	}
	return out.KeyMetadata, nil
}

// keyArn resolves what a resource names as its key (a key id, a key ARN,
// an alias name or an alias ARN: AWS keeps what was written) to the key's
// ARN, once per name for every check (kms:DescribeKey accepts all four).
func resolveKey(ctx context.Context, t *Target, id string) (string, error) {
	if id == "" {
		return "", nil
	}
	return cached(t, "keyarn/"+id, func() (string, error) {
		md, err := describeKey(ctx, t.Clients.KMS, id)
		if err != nil {
			return "", err
		}
		if aws.ToString(md.Arn) == "" {
			return "", fmt.Errorf("DescribeKey %s returned no key", id)
		}
		return aws.ToString(md.Arn), nil
	})
}

// sameKey tells whether got names the key want (an ARN). A name that is
// the ARN itself needs no call.
func sameKey(ctx context.Context, t *Target, got, want string) (bool, error) {
	if got == want {
		return true, nil
	}
	if got == "" {
		return false, nil
	}
	arn, err := resolveKey(ctx, t, got)
	if err != nil {
		return false, err
	}
	return arn == want, nil
}

// keyVerdict records a resource's key against the expected one: PASS,
// FAIL naming both, or ERROR when the name cannot be resolved.
func keyVerdict(ctx context.Context, t *Target, r *Run, res, got, want, passed string) {
	ok, err := sameKey(ctx, t, got, want)
	switch {
	case err != nil:
		r.Error(res, fmt.Errorf("resolve key %q: %w", got, err), "key "+want)
	case !ok:
		r.Fail(res, fmt.Sprintf("key %q", got), "key "+want)
	default:
		r.Pass(res, passed+" (key "+got+")", "key "+want)
	}
}
