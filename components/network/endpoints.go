package network

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// EndpointsArgs configures the VPC endpoints through which the private tiers
// reach AWS services without the internet (WP-31).
type EndpointsArgs struct {
	Region string
	VpcID  pulumi.StringInput
	// Services are the interface endpoints (ssm, logs, kms, ...).
	Services []string
	// SubnetIDs hold the interface endpoints' network interfaces; each
	// endpoint costs per zone-hour, so fewer zones cost less.
	SubnetIDs pulumi.StringArrayInput
	// RouteTableIDs get the S3 gateway endpoint's route.
	RouteTableIDs   pulumi.StringArrayInput
	SecurityGroupID pulumi.StringInput
}

// Endpoints are the S3 gateway endpoint and the interface endpoints.
type Endpoints struct {
	pulumi.ResourceState

	S3        *ec2.VpcEndpoint
	Interface map[string]*ec2.VpcEndpoint
}

// NewEndpoints builds the endpoints.
func NewEndpoints(ctx *pulumi.Context, name string, args *EndpointsArgs, opts ...pulumi.ResourceOption) (*Endpoints, error) {
	if args == nil {
		return nil, fmt.Errorf("endpoints %s: args are required", name)
	}
	e := &Endpoints{Interface: map[string]*ec2.VpcEndpoint{}}
	if err := ctx.RegisterComponentResource("tenantkit:network:Endpoints", name, e, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(e)
	var err error
	e.S3, err = ec2.NewVpcEndpoint(ctx, name+"-s3", &ec2.VpcEndpointArgs{
		VpcId:           args.VpcID,
		ServiceName:     pulumi.String(fmt.Sprintf("com.amazonaws.%s.s3", args.Region)),
		VpcEndpointType: pulumi.String("Gateway"),
		RouteTableIds:   args.RouteTableIDs,
		Tags:            pulumi.StringMap{"Name": pulumi.String(name + "-s3")},
	}, child)
	if err != nil {
		return nil, err
	}
	for _, svc := range args.Services {
		ep, err := ec2.NewVpcEndpoint(ctx, name+"-"+svc, &ec2.VpcEndpointArgs{
			VpcId:             args.VpcID,
			ServiceName:       pulumi.String(fmt.Sprintf("com.amazonaws.%s.%s", args.Region, svc)),
			VpcEndpointType:   pulumi.String("Interface"),
			PrivateDnsEnabled: pulumi.Bool(true),
			SubnetIds:         args.SubnetIDs,
			SecurityGroupIds:  pulumi.StringArray{args.SecurityGroupID},
			Tags:              pulumi.StringMap{"Name": pulumi.String(name + "-" + svc)},
		}, child)
		if err != nil {
			return nil, err
		}
		e.Interface[svc] = ep
	}
	if err := ctx.RegisterResourceOutputs(e, pulumi.Map{"s3EndpointId": e.S3.ID()}); err != nil {
		return nil, err
	}
	return e, nil
}
