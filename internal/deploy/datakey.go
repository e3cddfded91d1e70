package deploy

import (
	"context"
	"crypto/rand"
	"encoding/base64"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// Encrypter is the part of KMS a stack's data key needs.
type Encrypter interface {
	Encrypt(ctx context.Context, in *kms.EncryptInput, opts ...func(*kms.Options)) (*kms.EncryptOutput, error)
}

// NewDataKey makes a stack's encryptedkey for an awskms:// secrets
// provider the way Pulumi's cloud secrets manager does
// (pkg/secrets/cloud/manager.go, generateNewDataKey and
// NewCloudSecretsManager): 32 random bytes encrypted by KMS Encrypt under
// the key, no encryption context (gocloud.dev/secrets/awskms sends none
// without context_ URL parameters, which config.ParseSecretsProvider
// refuses), the ciphertext in standard base64. kms:Encrypt is all it
// needs; it cannot decrypt anything. The journey (TestJourney, onboard)
// has the Pulumi CLI take a key made here: the state's secrets provider
// holds this very key, and the CLI rewrites no stack file.
func NewDataKey(ctx context.Context, c Encrypter, keyID string) (string, error) {
	plain := make([]byte, 32)
	if _, err := rand.Read(plain); err != nil {
		return "", err
	}
	out, err := c.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(keyID), Plaintext: plain})
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(out.CiphertextBlob), nil
}
