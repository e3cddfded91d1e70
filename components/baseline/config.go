package baseline

import "github.com/tenantkit/tenantkit/internal/config"

// The baseline's config lives in internal/config, where the verifier reads
// the same expectations (the password policy's minimum, the region).

// Namespace of the baseline project's config keys.
const Namespace = config.BaselineNamespace

// Config is the baseline stack's configuration.
type Config = config.Baseline

// Defaults are the secure defaults.
func Defaults() *Config { return config.BaselineDefaults() }

// Load reads and validates the baseline config.
func Load(get config.Getter) (*Config, error) { return config.LoadBaseline(get) }
