package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// #23 item 2: main is the one source of truth of a tenant's state. The
// offboarding workflow records the day's steps on main before anything is
// deployed, applies them from that commit, and commits the evidence to main;
// no pull request is left to merge.
func TestOffboardingRecordsOnMainFirst(t *testing.T) {
	var off workflow
	for _, w := range workflows(t) {
		if w.file == "offboarding.yml" {
			off = w
		}
	}
	record, apply, evidence := off.Jobs["record"], off.Jobs["offboard"], off.Jobs["evidence"]
	runs := func(j job, what string) bool {
		return slices.ContainsFunc(j.Steps, func(s step) bool { return strings.Contains(s.Run, what) })
	}
	if !runs(record, "tenantctl offboard due --record-only") || !runs(record, "scripts/lifecycle-commit.sh") {
		t.Error("the record job does not record the day's steps and commit them to main")
	}
	b, _ := os.ReadFile(filepath.Join(repo(), ".github", "workflows", "offboarding.yml"))
	if !strings.Contains(string(b), "needs: [due, record]") || !strings.Contains(string(b), "ref: ${{ needs.record.outputs.sha }}") {
		t.Error("the offboard jobs do not apply the recorded commit")
	}
	if !runs(apply, `tenantctl offboard "$STEP" "$TENANT" --yes`) || runs(apply, "offboard due") {
		t.Error("the offboard jobs do not apply the recorded step (offboard suspend|delete)")
	}
	if !runs(evidence, "scripts/lifecycle-commit.sh") {
		t.Error("the evidence job does not commit the evidence to main")
	}
	if strings.Contains(string(b), "create-pull-request") {
		t.Error("offboarding still leaves a pull request to merge")
	}
	// #33 item 2: the record step's exit code (a missed deadline, a
	// refused deletion) never stops the commit and the applies of the
	// others: it is kept and fails the run at its end.
	for _, s := range record.Steps {
		if strings.Contains(s.Run, "tenantctl offboard due --record-only") && (!strings.Contains(s.Run, "set +e") || !strings.Contains(s.Run, `echo "code=$?"`)) {
			t.Error("the record step fails the job on one tenant's exit code, holding back every other tenant's steps")
		}
	}
	if !strings.Contains(string(b), "needs.record.outputs.code != '0'") {
		t.Error("the run does not fail at its end when the record step said a deadline was missed")
	}
}

// The script commits only stack files and lifecycle evidence, merges a
// patch three-way (keeping what main changed meanwhile), survives a lost
// push race by rebasing, and stops on a clash without pushing anything.
func TestLifecycleCommit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	remote := filepath.Join(dir, "remote.git")
	git := func(wd string, args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = wd
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.invalid", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.invalid")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	write := func(path, body string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stack := "tenantkit:tenantId: acme\ntenantkit:region: ap-northeast-1\ntenantkit:lifecycle:\n  state: active\n  cancelledOn: \"2026-12-01\"\n"
	git(dir, "init", "-q", "--bare", "-b", "main", remote)
	seed := filepath.Join(dir, "seed")
	git(dir, "clone", "-q", remote, seed)
	write(filepath.Join(seed, "stacks", "Pulumi.acme.yaml"), stack)
	write(filepath.Join(seed, "evidence", "lifecycle", "acme.json"), "{\"entries\": []}\n")
	write(filepath.Join(seed, "components", "x.go"), "package x\n")
	git(seed, "add", "-A")
	git(seed, "commit", "-q", "-m", "seed")
	git(seed, "push", "-q", "origin", "HEAD:main")

	clone := func(name string) string {
		d := filepath.Join(dir, name)
		git(dir, "clone", "-q", remote, d)
		return d
	}
	script := filepath.Join(repo(), "scripts", "lifecycle-commit.sh")
	run := func(wd string, args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(script, args...)
		cmd.Dir = wd
		cmd.Env = append(os.Environ(), "GITHUB_TOKEN=", "GITHUB_OUTPUT=")
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee):
			return string(out), ee.ExitCode()
		case err != nil:
			t.Fatal(err)
		}
		return string(out), 0
	}
	remoteFile := func(path string) string { return git(dir, "--git-dir", remote, "show", "main:"+path) }

	// The record: a stack file's state, committed and pushed.
	rec := clone("record")
	write(filepath.Join(rec, "stacks", "Pulumi.acme.yaml"), strings.Replace(stack, "state: active", "state: suspended", 1))
	if out, code := run(rec, "record"); code != 0 || !strings.Contains(out, "sha=") {
		t.Fatalf("record: exit %d\n%s", code, out)
	}
	if !strings.Contains(remoteFile("stacks/Pulumi.acme.yaml"), "state: suspended") {
		t.Fatal("the record did not reach main")
	}
	recorded := git(rec, "rev-parse", "HEAD")

	// Anything else in the tree is refused, and nothing is pushed.
	bad := clone("bad")
	write(filepath.Join(bad, "components", "x.go"), "package x // changed\n")
	write(filepath.Join(bad, "evidence", "lifecycle", "acme.json"), "{\"entries\": [1]}\n")
	git(bad, "add", "components/x.go")
	if out, code := run(bad, "sneak"); code != 2 || !strings.Contains(out, "components/x.go") {
		t.Errorf("a staged source file: exit %d, want 2\n%s", code, out)
	}
	if remoteFile("components/x.go") != "package x" {
		t.Error("the refused change reached main")
	}

	// The apply job's patch on the recorded commit...
	apply := clone("apply")
	git(apply, "checkout", "-q", recorded)
	write(filepath.Join(apply, "evidence", "lifecycle", "acme.json"), "{\"entries\": [\"deleted\"]}\n")
	write(filepath.Join(apply, "stacks", "Pulumi.acme.yaml"), strings.Replace(stack, "state: active", "state: deleted", 1))
	patch := filepath.Join(dir, "offboarding-acme.patch")
	write(patch, git(apply, "diff", "--binary", "--", "stacks", "evidence/lifecycle")+"\n")
	// ...while someone merged another line of the same stack file.
	human := clone("human")
	write(filepath.Join(human, "stacks", "Pulumi.acme.yaml"), strings.Replace(strings.Replace(stack, "state: active", "state: suspended", 1), "region: ap-northeast-1", "region: ap-northeast-1\ntenantkit:appPort: \"8443\"", 1))
	git(human, "commit", "-q", "-am", "a reviewed change")
	git(human, "push", "-q", "origin", "HEAD:main")

	// The evidence job started before that merge: its push loses the race,
	// is rebased, and keeps the human's line.
	ev := clone("evidence")
	git(ev, "reset", "-q", "--hard", recorded)
	if out, code := run(ev, "evidence", patch); code != 0 {
		t.Fatalf("evidence: exit %d\n%s", code, out)
	}
	if got := remoteFile("evidence/lifecycle/acme.json"); !strings.Contains(got, "deleted") {
		t.Errorf("the evidence did not reach main: %s", got)
	}
	if got := remoteFile("stacks/Pulumi.acme.yaml"); !strings.Contains(got, "appPort") || !strings.Contains(got, "state: deleted") {
		t.Errorf("the three-way merge lost a line: %s", got)
	}

	// A patch that clashes with main stops, pushing nothing.
	clash := clone("clash")
	git(clash, "checkout", "-q", recorded)
	write(filepath.Join(clash, "evidence", "lifecycle", "acme.json"), "{\"entries\": [\"other\"]}\n")
	other := filepath.Join(dir, "clash.patch")
	write(other, git(clash, "diff", "--binary", "--", "evidence/lifecycle")+"\n")
	late := clone("late")
	before := git(late, "rev-parse", "HEAD")
	if out, code := run(late, "clash", other); code != 1 {
		t.Errorf("a clashing patch: exit %d, want 1\n%s", code, out)
	}
	if git(dir, "--git-dir", remote, "rev-parse", "main") != before {
		t.Error("a clashing patch changed main")
	}

	// #33 item 5. A patch that renames a workflow into a stack file's
	// path (which would delete the workflow on main) is refused, whatever
	// the new path.
	ren := clone("rename")
	write(filepath.Join(ren, ".github", "workflows", "deploy.yml"), "name: deploy\n")
	git(ren, "add", "-A")
	git(ren, "commit", "-q", "-m", "a workflow")
	git(ren, "push", "-q", "origin", "HEAD:main")
	git(ren, "mv", ".github/workflows/deploy.yml", "stacks/Pulumi.x.yaml")
	renamed := filepath.Join(dir, "rename.patch")
	write(renamed, git(ren, "diff", "--cached", "-M", "--binary")+"\n")
	git(ren, "reset", "-q", "--hard")
	if out, code := run(ren, "rename", renamed); code != 2 || !strings.Contains(out, "rename") {
		t.Errorf("a renaming patch: exit %d, want 2\n%s", code, out)
	}
	if remoteFile(".github/workflows/deploy.yml") != "name: deploy" {
		t.Error("the renaming patch removed the workflow from main")
	}
	// A symbolic link at an allowed path is refused, as a patch and as a
	// file of the tree.
	link := clone("link")
	if err := os.Symlink("../../.github/workflows/deploy.yml", filepath.Join(link, "stacks", "Pulumi.y.yaml")); err != nil {
		t.Fatal(err)
	}
	if out, code := run(link, "link"); code != 2 || !strings.Contains(out, "Pulumi.y.yaml") {
		t.Errorf("a symbolic link in stacks/: exit %d, want 2\n%s", code, out)
	}
	git(link, "add", "-A")
	linked := filepath.Join(dir, "link.patch")
	write(linked, git(link, "diff", "--cached", "--binary")+"\n")
	git(link, "reset", "-q", "--hard")
	os.Remove(filepath.Join(link, "stacks", "Pulumi.y.yaml"))
	if out, code := run(link, "link", linked); code != 2 {
		t.Errorf("a patch adding a symbolic link: exit %d, want 2\n%s", code, out)
	}
	// A deletion of a stack file is refused (the lifecycle never deletes
	// one: deleted tenants keep theirs).
	del := clone("delete")
	os.Remove(filepath.Join(del, "stacks", "Pulumi.acme.yaml"))
	if out, code := run(del, "delete"); code != 2 {
		t.Errorf("a deleted stack file: exit %d, want 2\n%s", code, out)
	}
	// An unrelated file left edited in the checkout does not turn a lost
	// race into a clash: the evidence is rebased and pushed, the file kept.
	dirty := clone("dirty")
	git(dirty, "reset", "-q", "--hard", recorded)
	write(filepath.Join(dirty, "components", "x.go"), "package x // someone's edit\n")
	write(filepath.Join(dirty, "evidence", "lifecycle", "beta.json"), "{\"entries\": [\"dirty run\"]}\n")
	if out, code := run(dirty, "dirty"); code != 0 {
		t.Errorf("a lost race beside an unrelated edit: exit %d, want 0\n%s", code, out)
	}
	if b, _ := os.ReadFile(filepath.Join(dirty, "components", "x.go")); !strings.Contains(string(b), "someone's edit") {
		t.Error("the unrelated edit was lost")
	}
	// A remote that refuses (a ruleset; here a pre-receive hook) is said as
	// a refusal (exit 3), not as a clash after three lost races.
	write(filepath.Join(remote, "hooks", "pre-receive"), "#!/bin/sh\necho 'refused by the ruleset' >&2\nexit 1\n")
	os.Chmod(filepath.Join(remote, "hooks", "pre-receive"), 0o755)
	refused := clone("refused")
	write(filepath.Join(refused, "evidence", "lifecycle", "acme.json"), "{\"entries\": [\"refused\"]}\n")
	if out, code := run(refused, "refused"); code != 3 || !strings.Contains(out, "refused the push") || !strings.Contains(out, "refused by the ruleset") {
		t.Errorf("a refusing remote: exit %d, want 3\n%s", code, out)
	}
}
