package stackfile

import (
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tenantkit/tenantkit/internal/safefile"
)

// Secrets is a stack file's secrets provider as Pulumi reads it: the
// top-level secretsprovider and encryptedkey keys (workspace.ProjectStack
// in Pulumi's sdk), beside config. Salt is the passphrase provider's
// encryptionsalt.
type Secrets struct {
	Provider, EncryptedKey, Salt string
}

// ReadSecrets reads a stack file's secrets provider keys.
func ReadSecrets(path string) (Secrets, error) {
	b, err := readBytes(path)
	if err != nil {
		return Secrets{}, err
	}
	return secretsOf(path, b)
}

func secretsOf(path string, b []byte) (Secrets, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return Secrets{}, fmt.Errorf("%s: not valid YAML: %w", path, err)
	}
	if _, err := configNode(&doc); err != nil {
		return Secrets{}, fmt.Errorf("%s: %w", path, err)
	}
	var s Secrets
	if doc.Kind == 0 {
		return s, nil
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i].Value, root.Content[i+1]
		var dst *string
		switch k {
		case "secretsprovider":
			dst = &s.Provider
		case "encryptedkey":
			dst = &s.EncryptedKey
		case "encryptionsalt":
			dst = &s.Salt
		default:
			continue
		}
		if v.Kind != yaml.ScalarNode {
			return Secrets{}, fmt.Errorf("%s: %s is not a single value", path, k)
		}
		*dst = v.Value
	}
	return s, nil
}

// WriteSecrets sets a stack file's secretsprovider and encryptedkey as
// onboarding chose them, atomically, every other line kept: the two keys'
// lines are replaced where they are, added at the top where they are not
// (where Pulumi writes them). The caller holds the stacks lock.
func WriteSecrets(path string, want Secrets) (changed bool, err error) {
	if want.Salt != "" {
		return false, errors.New("stackfile: an encryption salt is Pulumi's to write, never tenantctl's")
	}
	for range attempts {
		changed, err = writeSecretsOnce(path, want)
		if !errors.Is(err, safefile.ErrChanged) {
			return changed, err
		}
	}
	return false, fmt.Errorf("%w %d times while tenantctl edited it; nothing was written: stop the other writer and run the command again", err, attempts)
}

func writeSecretsOnce(path string, want Secrets) (bool, error) {
	old, err := readBytes(path)
	if err != nil {
		return false, err
	}
	have, err := secretsOf(path, old)
	if err != nil {
		return false, err
	}
	if have.Provider == want.Provider && have.EncryptedKey == want.EncryptedKey {
		return false, nil
	}
	set := map[string]string{"secretsprovider": want.Provider, "encryptedkey": want.EncryptedKey}
	var out []string
	for _, line := range strings.SplitAfter(string(old), "\n") {
		k, _, ok := strings.Cut(line, ":")
		if v, mine := set[k]; ok && mine {
			if v != "" {
				out = append(out, k+": "+v+"\n")
			}
			delete(set, k)
			continue
		}
		// A passphrase provider's salt means nothing beside a KMS key.
		if k == "encryptionsalt" && ok {
			continue
		}
		out = append(out, line)
	}
	var head []string
	for _, k := range []string{"secretsprovider", "encryptedkey"} {
		if v, left := set[k]; left && v != "" {
			head = append(head, k+": "+v+"\n")
		}
	}
	b := []byte(strings.Join(append(head, out...), ""))
	// What was written must read back as asked, with the config as it was.
	got, err := secretsOf(path, b)
	if err != nil || got.Provider != want.Provider || got.EncryptedKey != want.EncryptedKey || got.Salt != "" {
		return false, fmt.Errorf("%s: the secrets provider keys could not be written in place (%v): set them with pulumi stack change-secrets-provider", path, err)
	}
	before, _ := rawOfBytes(path, old)
	after, err := rawOfBytes(path, b)
	if err != nil || fmt.Sprint(before) != fmt.Sprint(after) {
		return false, fmt.Errorf("%s: writing the secrets provider would change the config; nothing was written", path)
	}
	return true, safefile.Update(path, old, b, 0o644)
}

func rawOfBytes(path string, b []byte) (map[string]string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	cfg, err := configNode(&doc)
	if err != nil {
		return nil, err
	}
	return rawOf(path, cfg)
}
