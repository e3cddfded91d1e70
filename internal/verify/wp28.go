package verify

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/tenantkit/tenantkit/internal/config"
)

var _ = register(Check{ID: "WP-28/dhcp", Control: "WP-28", Title: "DHCP options point NTP at the Time Sync Service",
	Run: func(ctx context.Context, t *Target, r *Run) {
		v, err := tenantVpc(ctx, t)
		if err != nil {
			r.Error("VPC "+t.Inv.VpcID, err, "DHCP options with ntp-servers 169.254.169.123")
			return
		}
		dhcp := aws.ToString(v.DhcpOptionsId)
		if dhcp == "" {
			r.Error("VPC "+t.Inv.VpcID, fmt.Errorf("the answer names no DHCP options set"), "DHCP options with ntp-servers 169.254.169.123")
			return
		}
		if dhcp == "default" {
			r.Fail("VPC "+t.Inv.VpcID, "DHCP options "+dhcp, "the tenant's options with ntp-servers 169.254.169.123")
			return
		}
		options, err := collectPages("ec2:DescribeDhcpOptions", func(tok *string) ([]ec2types.DhcpOptions, *string, error) {
			out, err := t.Clients.EC2.DescribeDhcpOptions(ctx, &ec2.DescribeDhcpOptionsInput{DhcpOptionsIds: []string{dhcp}, NextToken: tok})
			if err != nil {
				return nil, nil, err
			}
			return out.DhcpOptions, out.NextToken, nil
		})
		if err != nil {
			r.Error("DHCP options "+dhcp, err, "ntp-servers 169.254.169.123")
			return
		}
		for _, o := range options {
			if aws.ToString(o.DhcpOptionsId) != dhcp {
				continue
			}
			vals := map[string][]string{}
			for _, c := range o.DhcpConfigurations {
				for _, v := range c.Values {
					vals[aws.ToString(c.Key)] = append(vals[aws.ToString(c.Key)], aws.ToString(v.Value))
				}
			}
			switch {
			case !slices.Contains(vals["ntp-servers"], "169.254.169.123"):
				r.Fail("DHCP options "+dhcp, fmt.Sprint(vals["ntp-servers"]), "ntp-servers 169.254.169.123")
			case !slices.Contains(vals["domain-name-servers"], "AmazonProvidedDNS"):
				r.Fail("DHCP options "+dhcp, fmt.Sprint(vals["domain-name-servers"]), "AmazonProvidedDNS kept")
			default:
				r.Pass("DHCP options "+dhcp, fmt.Sprintf("ntp-servers %v, domain-name-servers %v", vals["ntp-servers"], vals["domain-name-servers"]), "ntp-servers 169.254.169.123, AmazonProvidedDNS kept")
			}
			return
		}
		r.Error("DHCP options "+dhcp, fmt.Errorf("not found"), "ntp-servers 169.254.169.123")
	}})

var _ = register(Check{ID: "WP-28/database-timezone", Control: "WP-28", Title: "the database keeps time in JST",
	Run: func(ctx context.Context, t *Target, r *Run) {
		want := "timezone = " + config.TimeZone
		db, res, ok := database(ctx, t, r, want)
		if !ok {
			return
		}
		if len(db.DBParameterGroups) == 0 {
			r.Fail(res, fieldOf(db, "DBParameterGroups"), "a parameter group with "+want)
			return
		}
		group := aws.ToString(db.DBParameterGroups[0].DBParameterGroupName)
		params, err := dbParameters(ctx, t, group)
		if err != nil {
			r.Error("parameter group "+group, err, want)
			return
		}
		if v, set := params["timezone"]; !set || v != config.TimeZone {
			r.Fail(res, "timezone "+v+" in "+group+" (UTC when unset)", want)
			return
		}
		r.Pass(res, "timezone = "+params["timezone"]+" in "+group, want)
	}})

// WP-28/instance-clock: the running launch template version's bootstrap
// sets the instances' zone to JST and their clock to the Time Sync Service
// (the same reading as the plan rule's).
var _ = register(Check{ID: "WP-28/instance-clock", Control: "WP-28", Title: "instances keep JST from the Time Sync Service",
	Run: func(ctx context.Context, t *Target, r *Run) {
		const expected = "chrony on 169.254.169.123, time zone " + config.TimeZone
		res, d, ok := runningVersion(ctx, t, r, expected)
		if !ok {
			return
		}
		switch ud := bootstrap(d); {
		case ud == "":
			r.Fail(res, unreadableBootstrap(d), expected)
		case !strings.Contains(ud, "169.254.169.123") || !strings.Contains(ud, "timedatectl set-timezone "+config.TimeZone):
			r.Fail(res, "the bootstrap's clock lines: "+linesNaming(ud, "chrony", "169.254.169.123", "set-timezone"), expected)
		default:
			r.Pass(res, "the bootstrap's clock lines: "+linesNaming(ud, "chrony", "169.254.169.123", "set-timezone"), expected)
		}
	}})
