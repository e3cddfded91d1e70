package ops

import (
	"context"
	"fmt"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/stackfile"
)

// SecretsProvider is deploy.Inline's SecretsProvider for tenant stacks:
// the provider the stack file names, refused when it is not the one the
// region's baseline declares (stateSecretsProvider) or lacks its data key.
// Every Pulumi step tenantctl runs on a tenant goes through it, so none
// falls back to the backend's default provider.
func (e *Env) SecretsProvider(tenant string) (string, error) {
	path := stackfile.Path(e.StacksDir, tenant)
	have, err := stackfile.ReadSecrets(path)
	if err != nil {
		return "", err
	}
	t, _, err := stackfile.Load(e.StacksDir, tenant)
	if err != nil {
		return "", err
	}
	base, err := stackfile.BaselineOf(e.BaselineDir, t)
	if err != nil {
		return "", err
	}
	if base == nil || base.StateSecretsProvider == "" {
		return have.Provider, nil
	}
	return have.Provider, secretsKept(path, have, base.StateSecretsProvider)
}

// secretsKept refuses a stack file whose secrets provider is not the
// declared one.
func secretsKept(path string, have stackfile.Secrets, declared string) error {
	p, err := config.ParseSecretsProvider(declared)
	if err != nil {
		return err
	}
	switch {
	case have.Provider != declared:
		return fmt.Errorf("%s: secretsprovider %q, the fleet's is %q (the baseline's stateSecretsProvider): nothing was run. Run tenantctl onboard for the tenant again (it writes the provider and its data key), or pulumi stack change-secrets-provider %q", path, have.Provider, declared, declared)
	case !p.Passphrase && have.EncryptedKey == "":
		return fmt.Errorf("%s: secretsprovider %s without its encryptedkey: nothing was run. Run tenantctl onboard for the tenant again with credentials allowed kms:Encrypt on %s", path, declared, p.KeyID)
	}
	return nil
}

// BaselineSecretsProvider is deploy.Inline's SecretsProvider for the
// account baseline's stacks in dir: the stateSecretsProvider the stack's
// own file declares, which `pulumi stack init` then writes with its data
// key (Day 0, docs/operations.md); a file naming another is refused.
func BaselineSecretsProvider(dir string) func(string) (string, error) {
	return func(stack string) (string, error) {
		path := stackfile.Path(dir, stack)
		raw, err := stackfile.ReadRaw(path)
		if err != nil {
			return "", err
		}
		declared := raw[config.BaselineNamespace+":stateSecretsProvider"]
		have, err := stackfile.ReadSecrets(path)
		if err != nil || declared == "" {
			return have.Provider, err
		}
		if have.Provider == "" {
			return declared, nil // a new stack: init writes the key
		}
		return have.Provider, secretsKept(path, have, declared)
	}
}

// dataKey is the encrypted data key onboarding writes beside a KMS
// secrets provider; "" for the passphrase provider (Pulumi writes its salt).
func (e *Env) dataKey(ctx context.Context, p config.SecretsProvider) (string, error) {
	if p.Passphrase {
		return "", nil
	}
	if e.DataKey == nil {
		return "", fmt.Errorf("this build cannot reach KMS to make the data key of %s", p.URL)
	}
	k, err := e.DataKey(ctx, p)
	if err != nil {
		return "", fmt.Errorf("the stack's secrets data key (KMS Encrypt with %s in %s): %w; nothing was written. Onboard with credentials allowed kms:Encrypt on that key (the onboarding role; docs/operations.md), which cannot decrypt", p.KeyID, p.Region, err)
	}
	return k, nil
}
