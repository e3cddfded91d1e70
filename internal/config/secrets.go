package config

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
)

// PassphraseProvider is Pulumi's name for its passphrase secrets provider.
const PassphraseProvider = "passphrase"

// SecretsProvider is a stack's secrets provider as a stack file names it
// (its secretsprovider key): Pulumi's passphrase provider, or its AWS KMS
// provider, awskms://<key>?region=<region>, whose key id is the URL's host
// and path (gocloud.dev/secrets/awskms, URLOpener: "awskms://alias/name",
// or "awskms:///<key ARN>").
type SecretsProvider struct {
	URL        string
	Passphrase bool
	KeyID      string
	Region     string
}

// ParseSecretsProvider reads a secrets provider, refusing what would send
// the state's secrets out of Japan or depend on the machine that runs
// Pulumi (a profile, an endpoint).
func ParseSecretsProvider(s string) (SecretsProvider, error) {
	if s == PassphraseProvider {
		return SecretsProvider{URL: s, Passphrase: true}, nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "awskms" {
		return SecretsProvider{}, errors.New(`write awskms://alias/<name>?region=ap-northeast-1 (the state key in Tokyo), or "passphrase" to choose Pulumi's passphrase provider on purpose`)
	}
	key := strings.TrimPrefix(path.Join(u.Host, u.Path), "/")
	if key == "" || key == "." {
		return SecretsProvider{}, errors.New("name the KMS key after awskms://, e.g. awskms://alias/tenantkit-state?region=ap-northeast-1")
	}
	q := u.Query()
	region := q.Get("region")
	for k := range q {
		if k != "region" {
			return SecretsProvider{}, fmt.Errorf("drop the parameter %q: only region is kept, so every machine that runs Pulumi opens the same key the same way", k)
		}
	}
	if region != RegionTokyo && region != RegionOsaka {
		return SecretsProvider{}, fmt.Errorf("add ?region=ap-northeast-1 (or ap-northeast-3): the state's key stays in Japan (WP-07), and without it the region would be each machine's own")
	}
	if strings.HasPrefix(key, "arn:") && !strings.HasPrefix(key, "arn:aws:kms:"+region+":") {
		return SecretsProvider{}, fmt.Errorf("the key ARN %s is not in %s, the URL's region: name a key of that region", key, region)
	}
	return SecretsProvider{URL: s, KeyID: key, Region: region}, nil
}
