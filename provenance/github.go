package provenance

import (
	"bytes"
	"encoding/json"
	"strings"
)

// GitHubWorkflow holds the GitHub Actions details a builder recorded about the
// workflow run that built the artifact. Builders record them in different
// places: BuildKit as github_* keys beside its own internal parameters (v1) or
// environment (v0.2), slsa-github-generator as github_* (v0.2) or GITHUB_*
// (v1) keys, GitHub's own build type as externalParameters.workflow and
// internalParameters.github. Values are strings as written (numbers keep
// their decimal form); fields the builder did not record are empty.
type GitHubWorkflow struct {
	// Repository is the repository the workflow ran in, "owner/name".
	Repository string `json:"repository"`
	// RepositoryID is the repository's numeric ID.
	RepositoryID string `json:"repositoryId"`
	// RepositoryOwner is the repository owner's login.
	RepositoryOwner string `json:"repositoryOwner"`
	// RepositoryOwnerID is the repository owner's numeric ID.
	RepositoryOwnerID string `json:"repositoryOwnerId"`
	// Ref is the ref that triggered the run, such as "refs/heads/main".
	Ref string `json:"ref"`
	// RefType is "branch" or "tag".
	RefType string `json:"refType"`
	// SHA is the commit that triggered the run.
	SHA string `json:"sha"`
	// WorkflowRef is the workflow file's ref,
	// "owner/name/.github/workflows/file.yml@refs/heads/main".
	WorkflowRef string `json:"workflowRef"`
	// WorkflowSHA is the commit of the workflow file.
	WorkflowSHA string `json:"workflowSha"`
	// WorkflowPath is the workflow file's path in the repository (GitHub's
	// build type only).
	WorkflowPath string `json:"workflowPath"`
	// EventName is the event that triggered the run, such as "push".
	EventName string `json:"eventName"`
	// RunID, RunNumber and RunAttempt identify the run.
	RunID      string `json:"runId"`
	RunNumber  string `json:"runNumber"`
	RunAttempt string `json:"runAttempt"`
	// Actor is the login of the user who triggered the run, and ActorID
	// its numeric ID.
	Actor   string `json:"actor"`
	ActorID string `json:"actorId"`
	// RunnerEnvironment is "github-hosted" or "self-hosted".
	RunnerEnvironment string `json:"runnerEnvironment"`
	// EventPayload is the raw JSON of the triggering event, when recorded.
	EventPayload json.RawMessage `json:"eventPayload"`
}

// gitHubWorkflow gathers the GitHub details from an environment object (keys
// github_* or GITHUB_*, or a nested "github" object), GitHub's
// externalParameters.workflow, and a run URL invocation ID. It returns nil
// when there are none.
func gitHubWorkflow(env map[string]json.RawMessage, wf *workflowV1, invocationID string) *GitHubWorkflow {
	vals := map[string]json.RawMessage{}
	for k, v := range env {
		if len(k) > 7 && strings.EqualFold(k[:7], "github_") {
			vals[strings.ToLower(k[7:])] = v
		}
	}
	for k, v := range decodeObject(env["github"]) {
		vals[strings.ToLower(k)] = v
	}
	if len(vals) == 0 && wf == nil {
		return nil
	}
	str := func(keys ...string) string {
		for _, k := range keys {
			if s := jsonScalar(vals[k]); s != "" {
				return s
			}
		}
		return ""
	}
	gh := &GitHubWorkflow{
		Repository:        str("repository"),
		RepositoryID:      str("repository_id"),
		RepositoryOwner:   str("repository_owner"),
		RepositoryOwnerID: str("repository_owner_id"),
		Ref:               str("ref"),
		RefType:           str("ref_type"),
		SHA:               str("sha", "sha1"),
		WorkflowRef:       str("workflow_ref"),
		WorkflowSHA:       str("workflow_sha"),
		EventName:         str("event_name"),
		RunID:             str("run_id"),
		RunNumber:         str("run_number"),
		RunAttempt:        str("run_attempt"),
		Actor:             str("actor"),
		ActorID:           str("actor_id"),
		RunnerEnvironment: str("runner_environment"),
		EventPayload:      nonNull(vals["event_payload"]),
	}
	if wf != nil {
		if gh.Repository == "" {
			if k := repositoryKey(wf.Repository); strings.HasPrefix(k, "github.com/") {
				gh.Repository = strings.TrimPrefix(k, "github.com/")
			}
		}
		if gh.Ref == "" {
			gh.Ref = wf.Ref
		}
		gh.WorkflowPath = wf.Path
	}
	// GitHub's build type records the run only as the invocation ID,
	// https://github.com/owner/name/actions/runs/<id>/attempts/<n>.
	if gh.RunID == "" {
		if _, run, ok := strings.Cut(invocationID, "/actions/runs/"); ok {
			id, attempt, _ := strings.Cut(run, "/attempts/")
			if isDigits(id) {
				gh.RunID = id
				if gh.RunAttempt == "" && isDigits(attempt) {
					gh.RunAttempt = attempt
				}
			}
		}
	}
	return gh
}

// jsonScalar returns a JSON string's value, or a JSON number's text, or "".
func jsonScalar(m json.RawMessage) string {
	m = bytes.TrimSpace(m)
	if len(m) == 0 {
		return ""
	}
	switch c := m[0]; {
	case c == '"':
		var s string
		if json.Unmarshal(m, &s) == nil {
			return s
		}
	case c == '-' || '0' <= c && c <= '9':
		return string(m)
	}
	return ""
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
