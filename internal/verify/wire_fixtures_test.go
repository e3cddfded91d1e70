package verify

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Fixtures in the shape AWS answers. Each follows the example response of
// the API reference page named above it; values are acme's.

const ec2NS = `xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"`

// EC2 API reference, DescribeVpcEndpoints, Example 1 response: the state
// is lowercase ("available"), unlike the SDK's constant.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpoints.html
func xmlVpcEndpoints(vpc string, services map[string]string) string {
	var items strings.Builder
	for svc, typ := range services {
		fmt.Fprintf(&items, `<item><vpcEndpointId>vpce-%s</vpcEndpointId><vpcEndpointType>%s</vpcEndpointType><vpcId>%s</vpcId>`+
			`<serviceName>com.amazonaws.ap-northeast-1.%s</serviceName><state>available</state>`+
			`<creationTimestamp>2026-11-20T03:14:15.000Z</creationTimestamp><privateDnsEnabled>true</privateDnsEnabled></item>`, svc, typ, vpc, svc)
	}
	return `<DescribeVpcEndpointsResponse ` + ec2NS + `><requestId>19a9ff46-7df6-49b8-9726-3df27527089d</requestId>` +
		`<vpcEndpointSet>` + items.String() + `</vpcEndpointSet></DescribeVpcEndpointsResponse>`
}

// naclEntry is one <item> of entrySet (EC2 API reference, NetworkAclEntry:
// protocol is the IANA number as a string, ruleAction lowercase).
type naclEntry struct {
	n           int
	proto       string
	action      string
	cidr, cidr6 string
	from, to    int
}

// EC2 API reference, DescribeNetworkAcls, example response.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkAcls.html
func xmlNetworkAcls(vpc string, subnets []string, entries []naclEntry) string {
	var es, as strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&es, `<item><ruleNumber>%d</ruleNumber><protocol>%s</protocol><ruleAction>%s</ruleAction><egress>false</egress>`, e.n, e.proto, e.action)
		if e.cidr != "" {
			fmt.Fprintf(&es, `<cidrBlock>%s</cidrBlock>`, e.cidr)
		}
		if e.cidr6 != "" {
			fmt.Fprintf(&es, `<ipv6CidrBlock>%s</ipv6CidrBlock>`, e.cidr6)
		}
		if e.from > 0 {
			fmt.Fprintf(&es, `<portRange><from>%d</from><to>%d</to></portRange>`, e.from, e.to)
		}
		es.WriteString(`</item>`)
	}
	// The implicit last rule, as AWS lists it.
	es.WriteString(`<item><ruleNumber>32767</ruleNumber><protocol>-1</protocol><ruleAction>deny</ruleAction><egress>false</egress><cidrBlock>0.0.0.0/0</cidrBlock></item>`)
	for i, s := range subnets {
		fmt.Fprintf(&as, `<item><networkAclAssociationId>aclassoc-%d</networkAclAssociationId><networkAclId>acl-5566953c</networkAclId><subnetId>%s</subnetId></item>`, i, s)
	}
	return `<DescribeNetworkAclsResponse ` + ec2NS + `><requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><networkAclSet><item>` +
		`<networkAclId>acl-5566953c</networkAclId><vpcId>` + vpc + `</vpcId><default>false</default><entrySet>` + es.String() +
		`</entrySet><associationSet>` + as.String() + `</associationSet><tagSet/></item></networkAclSet></DescribeNetworkAclsResponse>`
}

// sgPerm is one ipPermissions item.
type sgPerm struct {
	proto      string
	from, to   int
	cidrs      []string
	cidrs6     []string
	groups     []string // "sg-x" or "sg-x@vpc-y@account"
	prefixList []string
}

type sgItem struct {
	id, name, vpc string
	in            []sgPerm
}

// EC2 API reference, DescribeSecurityGroups, example response; nextToken
// when more pages follow.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSecurityGroups.html
func xmlSecurityGroups(next string, groups ...sgItem) string {
	var b strings.Builder
	for _, g := range groups {
		fmt.Fprintf(&b, `<item><ownerId>111122223333</ownerId><groupId>%s</groupId><groupName>%s</groupName><groupDescription>%s</groupDescription><vpcId>%s</vpcId><ipPermissions>`, g.id, g.name, g.name, g.vpc)
		for _, p := range g.in {
			fmt.Fprintf(&b, `<item><ipProtocol>%s</ipProtocol>`, p.proto)
			if p.proto != "-1" {
				fmt.Fprintf(&b, `<fromPort>%d</fromPort><toPort>%d</toPort>`, p.from, p.to)
			}
			b.WriteString(`<groups>`)
			for _, gp := range p.groups {
				parts := strings.Split(gp, "@")
				fmt.Fprintf(&b, `<item><groupId>%s</groupId>`, parts[0])
				if len(parts) == 3 {
					fmt.Fprintf(&b, `<vpcId>%s</vpcId><userId>%s</userId>`, parts[1], parts[2])
				} else {
					b.WriteString(`<userId>111122223333</userId>`)
				}
				b.WriteString(`</item>`)
			}
			b.WriteString(`</groups><ipRanges>`)
			for _, c := range p.cidrs {
				fmt.Fprintf(&b, `<item><cidrIp>%s</cidrIp></item>`, c)
			}
			b.WriteString(`</ipRanges><ipv6Ranges>`)
			for _, c := range p.cidrs6 {
				fmt.Fprintf(&b, `<item><cidrIpv6>%s</cidrIpv6></item>`, c)
			}
			b.WriteString(`</ipv6Ranges><prefixListIds>`)
			for _, pl := range p.prefixList {
				fmt.Fprintf(&b, `<item><prefixListId>%s</prefixListId></item>`, pl)
			}
			b.WriteString(`</prefixListIds></item>`)
		}
		b.WriteString(`</ipPermissions><ipPermissionsEgress/></item>`)
	}
	tok := ""
	if next != "" {
		tok = `<nextToken>` + next + `</nextToken>`
	}
	return `<DescribeSecurityGroupsResponse ` + ec2NS + `><requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><securityGroupInfo>` +
		b.String() + `</securityGroupInfo>` + tok + `</DescribeSecurityGroupsResponse>`
}

// acmeGroups are acme's four tier groups and the VPC's default group.
func acmeGroups(inv *Inventory, ingress []string) []sgItem {
	return []sgItem{
		{"sg-lb", "lb", vpcID, []sgPerm{{proto: "tcp", from: 443, to: 443, cidrs: ingress}, {proto: "tcp", from: 80, to: 80, cidrs: ingress}}},
		{"sg-app", "app", vpcID, []sgPerm{{proto: "tcp", from: 8080, to: 8080, groups: []string{"sg-lb"}}}},
		{"sg-db", "db", vpcID, []sgPerm{{proto: "tcp", from: 5432, to: 5432, groups: []string{"sg-app"}}}},
		{"sg-vpce", "endpoints", vpcID, []sgPerm{{proto: "tcp", from: 443, to: 443, cidrs: []string{inv.VpcCidr}}}},
		{"sg-default", "default", vpcID, nil},
	}
}

// SSM API reference, ListAssociations, example response (JSON); at most 50
// associations a page, then NextToken.
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ListAssociations.html
func jsonAssociations(next string, assocs ...[3]string) string {
	type target struct {
		Key    string
		Values []string
	}
	type assoc struct {
		AssociationId, AssociationName, Name, AssociationVersion, ScheduleExpression string
		Targets                                                                      []target
	}
	out := struct {
		Associations []assoc
		NextToken    string `json:",omitempty"`
	}{NextToken: next}
	for i, a := range assocs { // name, document, group
		out.Associations = append(out.Associations, assoc{AssociationId: fmt.Sprintf("8dfe3659-4309-493a-8755-%012d", i), AssociationName: a[0], Name: a[1],
			AssociationVersion: "1", ScheduleExpression: "cron(0 18 ? * SAT *)", Targets: []target{{Key: "tag:aws:autoscaling:groupName", Values: []string{a[2]}}}})
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// CloudTrail API reference, DescribeTrails, example response: with
// includeShadowTrails a region also lists the multi-region trails homed
// elsewhere. https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html
func jsonTrails(trails ...map[string]any) string {
	b, _ := json.Marshal(map[string]any{"trailList": trails})
	return string(b)
}

func trailEntry(name, home, key string) map[string]any {
	return map[string]any{
		"Name": name, "TrailARN": "arn:aws:cloudtrail:" + home + ":111122223333:trail/" + name, "HomeRegion": home,
		"S3BucketName": "tk-baseline-log-archive-111122223333", "S3KeyPrefix": "cloudtrail", "IncludeGlobalServiceEvents": true,
		"IsMultiRegionTrail": true, "LogFileValidationEnabled": true, "KmsKeyId": key, "HasCustomEventSelectors": true,
		"CloudWatchLogsLogGroupArn": "arn:aws:logs:" + home + ":111122223333:log-group:/tenantkit/cloudtrail:*",
		"CloudWatchLogsRoleArn":     "arn:aws:iam::111122223333:role/baseline-trail-cwl-role-1a2b3c4", "IsOrganizationTrail": false,
	}
}

// CloudTrail API reference, GetTrailStatus, example response (the times
// moved to five minutes before the fake world's now, 2026-11-25 02:55 UTC).
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html
const jsonTrailStatus = `{"IsLogging":true,"LatestDeliveryTime":1.7955753E9,"StartLoggingTime":1.7934912E9,` +
	`"LatestCloudWatchLogsDeliveryTime":1.7955753E9,"LatestDigestDeliveryTime":1.7955753E9}`

// CloudTrail API reference, GetEventSelectors, example response for
// advanced event selectors (each FieldSelector: Field and its operators).
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html
func jsonAdvancedSelectors(trailArn string, selectors ...map[string]any) string {
	b, _ := json.Marshal(map[string]any{"TrailARN": trailArn, "AdvancedEventSelectors": selectors})
	return string(b)
}

func selector(name string, fields ...map[string]any) map[string]any {
	return map[string]any{"Name": name, "FieldSelectors": fields}
}

func field(name, op string, values ...string) map[string]any {
	return map[string]any{"Field": name, op: values}
}

// S3 API reference, GetBucketEncryption, example response.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketEncryption.html
func xmlBucketEncryption(algo, key string) string {
	k := ""
	if key != "" {
		k = `<KMSMasterKeyID>` + key + `</KMSMasterKeyID>`
	}
	return `<?xml version="1.0" encoding="UTF-8"?><ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule>` +
		`<ApplyServerSideEncryptionByDefault><SSEAlgorithm>` + algo + `</SSEAlgorithm>` + k + `</ApplyServerSideEncryptionByDefault>` +
		`<BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`
}

// S3 API reference, GetBucketVersioning and GetObjectLockConfiguration.
const xmlVersioningEnabled = `<?xml version="1.0" encoding="UTF-8"?><VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>`

func xmlObjectLock(mode string, days int) string {
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?><ObjectLockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><ObjectLockEnabled>Enabled</ObjectLockEnabled>`+
		`<Rule><DefaultRetention><Mode>%s</Mode><Days>%d</Days></DefaultRetention></Rule></ObjectLockConfiguration>`, mode, days)
}

// KMS API reference, DescribeKey, example response (JSON).
// https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
func jsonDescribeKey(arn string) string {
	id := arn[strings.LastIndex(arn, "/")+1:]
	return `{"KeyMetadata":{"AWSAccountId":"111122223333","Arn":"` + arn + `","CreationDate":1.763131415E9,"CustomerMasterKeySpec":"SYMMETRIC_DEFAULT",` +
		`"Enabled":true,"EncryptionAlgorithms":["SYMMETRIC_DEFAULT"],"KeyId":"` + id + `","KeyManager":"CUSTOMER","KeySpec":"SYMMETRIC_DEFAULT",` +
		`"KeyState":"Enabled","KeyUsage":"ENCRYPT_DECRYPT","MultiRegion":false,"Origin":"AWS_KMS"}}`
}

// Auto Scaling API reference, DescribeAutoScalingGroups, example response.
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingGroups.html
func xmlAutoScalingGroup(name, lt, version string) string {
	return `<DescribeAutoScalingGroupsResponse xmlns="https://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribeAutoScalingGroupsResult><AutoScalingGroups><member>` +
		`<AutoScalingGroupName>` + name + `</AutoScalingGroupName><AutoScalingGroupARN>arn:aws:autoscaling:ap-northeast-1:111122223333:autoScalingGroup:4e2f5f52:autoScalingGroupName/` + name + `</AutoScalingGroupARN>` +
		`<LaunchTemplate><LaunchTemplateId>` + lt + `</LaunchTemplateId><LaunchTemplateName>` + name + `</LaunchTemplateName><Version>` + version + `</Version></LaunchTemplate>` +
		`<MinSize>2</MinSize><MaxSize>4</MaxSize><DesiredCapacity>2</DesiredCapacity><HealthCheckType>EC2</HealthCheckType>` +
		`<CreatedTime>2026-11-20T03:14:15.000Z</CreatedTime></member></AutoScalingGroups></DescribeAutoScalingGroupsResult>` +
		`<ResponseMetadata><RequestId>0e7cf3e0-d3d8-4d2c-a1b5-8fda1EXAMPLE</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>`
}

// EC2 API reference, DescribeLaunchTemplateVersions, example response.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplateVersions.html
func xmlLaunchTemplateVersion(lt, version, tokens, key string) string {
	return `<DescribeLaunchTemplateVersionsResponse ` + ec2NS + `><requestId>65cadec1-ab9d-4a85-9db1-ae6EXAMPLE</requestId><launchTemplateVersionSet><item>` +
		`<launchTemplateId>` + lt + `</launchTemplateId><launchTemplateName>tk-acme-app</launchTemplateName><versionNumber>` + version + `</versionNumber><defaultVersion>false</defaultVersion>` +
		`<launchTemplateData><metadataOptions><httpTokens>` + tokens + `</httpTokens><httpPutResponseHopLimit>1</httpPutResponseHopLimit><httpEndpoint>enabled</httpEndpoint></metadataOptions>` +
		`<networkInterfaceSet><item><associatePublicIpAddress>false</associatePublicIpAddress><deviceIndex>0</deviceIndex></item></networkInterfaceSet>` +
		`<blockDeviceMappingSet><item><deviceName>/dev/xvda</deviceName><ebs><encrypted>true</encrypted><kmsKeyId>` + key + `</kmsKeyId><volumeSize>30</volumeSize><volumeType>gp3</volumeType></ebs></item></blockDeviceMappingSet>` +
		`<iamInstanceProfile><arn>arn:aws:iam::111122223333:instance-profile/tenants/acme/tk-acme-app</arn></iamInstanceProfile>` +
		`</launchTemplateData></item></launchTemplateVersionSet></DescribeLaunchTemplateVersionsResponse>`
}

// Elastic Load Balancing API reference, DescribeSSLPolicies, example
// response. https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeSSLPolicies.html
func xmlSSLPolicy(name string, protocols, ciphers []string) string {
	var ps, cs strings.Builder
	for _, p := range protocols {
		ps.WriteString(`<member>` + p + `</member>`)
	}
	for i, c := range ciphers {
		fmt.Fprintf(&cs, `<member><Name>%s</Name><Priority>%d</Priority></member>`, c, i+1)
	}
	return `<DescribeSSLPoliciesResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeSSLPoliciesResult><SslPolicies><member>` +
		`<Name>` + name + `</Name><SslProtocols>` + ps.String() + `</SslProtocols>` +
		`<Ciphers>` + cs.String() + `</Ciphers>` +
		`<SupportedLoadBalancerTypes><member>application</member></SupportedLoadBalancerTypes></member></SslPolicies></DescribeSSLPoliciesResult>` +
		`<ResponseMetadata><RequestId>1549581b-12b7-11e3-895e-1334aEXAMPLE</RequestId></ResponseMetadata></DescribeSSLPoliciesResponse>`
}

// Elastic Load Balancing API reference, DescribeListeners, example response.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeListeners.html
func xmlListeners(lb, policy string) string {
	return `<DescribeListenersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeListenersResult><Listeners>` +
		`<member><LoadBalancerArn>` + lb + `</LoadBalancerArn><Protocol>HTTPS</Protocol><Port>443</Port><SslPolicy>` + policy + `</SslPolicy>` +
		`<ListenerArn>` + strings.Replace(lb, "loadbalancer/", "listener/", 1) + `/f2f7dc8efc522ab2</ListenerArn>` +
		`<DefaultActions><member><Type>forward</Type><TargetGroupArn>arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:targetgroup/tk-0001/73e2d6bc24d8a067</TargetGroupArn></member></DefaultActions></member>` +
		`<member><LoadBalancerArn>` + lb + `</LoadBalancerArn><Protocol>HTTP</Protocol><Port>80</Port>` +
		`<ListenerArn>` + strings.Replace(lb, "loadbalancer/", "listener/", 1) + `/a3f7dc8efc522ab9</ListenerArn>` +
		`<DefaultActions><member><Type>redirect</Type><RedirectConfig><Protocol>HTTPS</Protocol><Port>443</Port><StatusCode>HTTP_301</StatusCode></RedirectConfig></member></DefaultActions></member>` +
		`</Listeners></DescribeListenersResult><ResponseMetadata><RequestId>18e470d3-f39c-11e5-a53c-67205EXAMPLE</RequestId></ResponseMetadata></DescribeListenersResponse>`
}

// STS API reference, GetCallerIdentity, example response.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
func xmlCallerIdentity(account string) string {
	return `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
		`<Arn>arn:aws:sts::` + account + `:assumed-role/tenantkit-verifier/ci</Arn><UserId>AROACKCEVSQ6C2EXAMPLE:ci</UserId><Account>` + account + `</Account>` +
		`</GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>`
}

// sslPolicies answers DescribeSSLPolicies by the name asked (Names.member.1),
// each policy with its protocols and ciphers.
func (w *wireServer) sslPolicies(policies map[string][2][]string) {
	w.on("elasticloadbalancing", "DescribeSSLPolicies", func(r wireRequest) (int, string) {
		name := r.Form.Get("Names.member.1")
		p, ok := policies[name]
		if !ok {
			return 400, `<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type><Code>SSLPolicyNotFound</Code><Message>One or more specified SSL policies were not found</Message></Error><RequestId>x</RequestId></ErrorResponse>`
		}
		return 200, xmlSSLPolicy(name, p[0], p[1])
	})
}

// Elastic Load Balancing API reference, DescribeLoadBalancers, example
// response (the load balancer in the given subnets).
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeLoadBalancers.html
func xmlLoadBalancers(lb string, subnets ...string) string {
	var zones strings.Builder
	for i, s := range subnets {
		fmt.Fprintf(&zones, `<member><SubnetId>%s</SubnetId><ZoneName>ap-northeast-1%c</ZoneName></member>`, s, 'a'+i)
	}
	return `<DescribeLoadBalancersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeLoadBalancersResult><LoadBalancers><member>` +
		`<LoadBalancerArn>` + lb + `</LoadBalancerArn><Scheme>internet-facing</Scheme><Type>application</Type>` +
		`<AvailabilityZones>` + zones.String() + `</AvailabilityZones><State><Code>active</Code></State>` +
		`</member></LoadBalancers></DescribeLoadBalancersResult><ResponseMetadata><RequestId>6581c0ac-f39f-11e5-bb98-57195EXAMPLE</RequestId></ResponseMetadata></DescribeLoadBalancersResponse>`
}

// Amazon EC2 API reference, DescribeNatGateways, example response (no
// gateway: egressMode endpoints).
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNatGateways.html
func xmlNoNatGateways() string {
	return `<DescribeNatGatewaysResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>bfed02c6-dae9-47c0-86a2-example</requestId><natGatewaySet/></DescribeNatGatewaysResponse>`
}
