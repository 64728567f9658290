package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Config is per-policy configuration in the shape of docker scout's
// --policy-config file:
//
//	{"policies": [{"name": "dhi-stig-scan-score", "enabled": true, "config": {"target_score": 95}}]}
//
// Each entry's config is what the policy named by custom.name reads as
// data.config; a policy without an entry reads an empty object.
type Config struct {
	// Policies are the entries, in file order.
	Policies []PolicyConfig `json:"policies"`
}

// PolicyConfig is the configuration of one policy.
type PolicyConfig struct {
	// Name is the policy's METADATA custom.name.
	Name string `json:"name"`
	// Enabled, when false, skips the policy; nil means enabled.
	Enabled *bool `json:"enabled,omitempty"`
	// Config is the object the policy reads as data.config; nil means an
	// empty object.
	Config json.RawMessage `json:"config,omitempty"`
}

// maxConfigSize bounds a configuration file.
const maxConfigSize = 4 << 20

// ParseConfig decodes a --policy-config file. It fails with [ErrConfig]
// when the file is not that shape: not a JSON object with a policies array,
// an entry without a name, a name given twice, or a config that is not a
// JSON object. Names are matched against policies by [New].
func ParseConfig(b []byte) (*Config, error) {
	if len(b) > maxConfigSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrConfig, maxConfigSize)
	}
	var c Config
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	if c.Policies == nil {
		return nil, fmt.Errorf("%w: no \"policies\" array", ErrConfig)
	}
	seen := map[string]bool{}
	for i, p := range c.Policies {
		if p.Name == "" {
			return nil, fmt.Errorf("%w: entry %d has no name", ErrConfig, i)
		}
		if seen[p.Name] {
			return nil, fmt.Errorf("%w: policy %q is configured twice", ErrConfig, p.Name)
		}
		seen[p.Name] = true
		if len(p.Config) > 0 && !bytes.Equal(p.Config, []byte("null")) {
			var obj map[string]json.RawMessage
			if err := json.Unmarshal(p.Config, &obj); err != nil {
				return nil, fmt.Errorf("%w: the config of policy %q is not a JSON object", ErrConfig, p.Name)
			}
		}
	}
	return &c, nil
}

// entry returns the configuration of the policy named name.
func (c *Config) entry(name string) (PolicyConfig, bool) {
	if c == nil {
		return PolicyConfig{}, false
	}
	for _, p := range c.Policies {
		if p.Name == name {
			return p, true
		}
	}
	return PolicyConfig{}, false
}
