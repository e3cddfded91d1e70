// Command kumoseed starts the kumo AWS emulator in-process, seeds a tenant
// of the stacks directory into it (as compliant as kumo can hold), writes
// the tenant's inventory and then, last, the emulator's address: the env
// file appearing is the signal that the seed is ready. It serves until
// SIGINT or SIGTERM, then stops kumo and removes the env file. The recipe
// (README, "Trying it without AWS"):
//
//	go build -o .bin/kumoseed ./tests/kumoseed
//	.bin/kumoseed acme --out /tmp/acme-inventory.json --env /tmp/kumo.env & seeder=$!
//	until [ -s /tmp/kumo.env ]; do sleep 0.2; done
//	. /tmp/kumo.env   # AWS_ENDPOINT_URL and dummy credentials
//	.bin/tenantctl verify acme --inventory /tmp/acme-inventory.json
//	kill $seeder
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/sivchari/kumo"

	"github.com/tenantkit/tenantkit/internal/cli"
	"github.com/tenantkit/tenantkit/internal/kumoseed"
	"github.com/tenantkit/tenantkit/internal/safefile"
	"github.com/tenantkit/tenantkit/internal/stackfile"
	"github.com/tenantkit/tenantkit/internal/verify"
)

func main() {
	fs := flag.NewFlagSet("kumoseed", flag.ExitOnError)
	stacks := fs.String("stacks-dir", "stacks", "directory of the tenant stack files")
	out := fs.String("out", "inventory.json", "where to write the tenant's inventory")
	env := fs.String("env", "kumo.env", "where to write AWS_ENDPOINT_URL and dummy credentials")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run ./tests/kumoseed <tenant> [--out FILE] [--env FILE] [--stacks-dir DIR]")
		fs.PrintDefaults()
	}
	args, err := cli.Parse(fs, os.Args[1:])
	if err != nil || len(args) != 1 {
		fs.Usage()
		os.Exit(2)
	}
	cfg, _, err := stackfile.Load(*stacks, args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	// A file left by an earlier run must not pass for this one's signal.
	if err := os.Remove(*env); err != nil && !os.IsNotExist(err) {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	srv := kumo.NewServer()
	defer srv.Close()
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_EC2_METADATA_DISABLED": "true"} {
		os.Setenv(k, v)
	}
	ctx := context.Background()
	awsCfg, err := verify.LoadConfig(ctx, cfg.Region, srv.URL, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	inv, err := kumoseed.Seed(ctx, kumoseed.New(awsCfg), cfg, kumoseed.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	b, _ := json.MarshalIndent(map[string]any{"inventory": inv}, "", "  ")
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	envText := fmt.Sprintf("export AWS_ENDPOINT_URL=%s AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_EC2_METADATA_DISABLED=true\n", srv.URL)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	if err := safefile.Write(*env, []byte(envText), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("ready: kumo serving at %s; tenant %s seeded; inventory in %s; environment in %s. Stop with Ctrl-C or kill.\n", srv.URL, cfg.TenantID, *out, *env)
	<-stop
	os.Remove(*env)
	fmt.Println("stopped: kumo closed, environment file removed")
}
