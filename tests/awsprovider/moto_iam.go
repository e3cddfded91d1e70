package awsprovider

import (
	"context"
	"fmt"
	"hash/crc32"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// KMS (internal/service/kms), IAM (internal/service/iam) and CloudWatch
// Logs (internal/service/logs) as the Terraform AWS provider calls them.

func kmsTags(t map[string]string) []kmstypes.Tag {
	return tagList(t, func(k, v *string) kmstypes.Tag { return kmstypes.Tag{TagKey: k, TagValue: v} })
}

func keyRotation(ctx context.Context, m *Moto, id string, p props) error {
	if p.flag("enableKeyRotation") {
		in := &kms.EnableKeyRotationInput{KeyId: aws.String(id)}
		if p.has("rotationPeriodInDays") {
			in.RotationPeriodInDays = aws.Int32(p.num("rotationPeriodInDays"))
		}
		_, err := m.kms.EnableKeyRotation(ctx, in)
		return err
	}
	_, err := m.kms.DisableKeyRotation(ctx, &kms.DisableKeyRotationInput{KeyId: aws.String(id)})
	return err
}

var _ = register("aws:kms/key:Key", handler{source: "internal/service/kms/key.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		in := &kms.CreateKeyInput{Description: p.sptr("description"), Policy: p.sptr("policy"), Tags: kmsTags(m.tags(p)), MultiRegion: aws.Bool(p.flag("multiRegion"))}
		if s := p.str("keyUsage"); s != "" {
			in.KeyUsage = kmstypes.KeyUsageType(s)
		}
		if s := p.str("customerMasterKeySpec"); s != "" {
			in.KeySpec = kmstypes.KeySpec(s)
		}
		out, err := m.kms.CreateKey(ctx, in)
		if err != nil {
			return "", nil, err
		}
		id := aws.ToString(out.KeyMetadata.KeyId)
		if err := keyRotation(ctx, m, id, p); err != nil {
			return id, nil, err
		}
		return id, pm("arn", aws.ToString(out.KeyMetadata.Arn), "keyId", id), nil
	},
	read: func(ctx context.Context, m *Moto, id string, _ props) (resource.PropertyMap, error) {
		d, err := m.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
		if err != nil {
			return nil, gone(err)
		}
		if d.KeyMetadata.KeyState == kmstypes.KeyStatePendingDeletion {
			return nil, errGone // the provider treats a key pending deletion as deleted
		}
		r, err := m.kms.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(id)})
		if err != nil {
			return nil, err
		}
		return pm("enableKeyRotation", r.KeyRotationEnabled, "isEnabled", d.KeyMetadata.Enabled), nil
	},
	update: func(ctx context.Context, m *Moto, id string, old, new props) (resource.PropertyMap, error) {
		if old.flag("enableKeyRotation") != new.flag("enableKeyRotation") || old.num("rotationPeriodInDays") != new.num("rotationPeriodInDays") {
			if err := keyRotation(ctx, m, id, new); err != nil {
				return nil, err
			}
		}
		if !jsonEqual(old.str("policy"), new.str("policy")) {
			if _, err := m.kms.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(id), PolicyName: aws.String("default"), Policy: new.sptr("policy")}); err != nil {
				return nil, err
			}
		}
		if old.str("description") != new.str("description") {
			if _, err := m.kms.UpdateKeyDescription(ctx, &kms.UpdateKeyDescriptionInput{KeyId: aws.String(id), Description: new.sptr("description")}); err != nil {
				return nil, err
			}
		}
		if t := kmsTags(m.tags(new)); len(t) > 0 {
			if _, err := m.kms.TagResource(ctx, &kms.TagResourceInput{KeyId: aws.String(id), Tags: t}); err != nil {
				return nil, err
			}
		}
		return nil, nil
	},
	delete: func(ctx context.Context, m *Moto, id string, p props) error {
		in := &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id)}
		if p.has("deletionWindowInDays") {
			in.PendingWindowInDays = aws.Int32(p.num("deletionWindowInDays"))
		}
		_, err := m.kms.ScheduleKeyDeletion(ctx, in)
		return err
	},
})

var _ = register("aws:kms/alias:Alias", handler{source: "internal/service/kms/alias.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		if _, err := m.kms.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: p.sptr("name"), TargetKeyId: p.sptr("targetKeyId")}); err != nil {
			return "", nil, err
		}
		d, err := m.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: p.sptr("targetKeyId")})
		if err != nil {
			return "", nil, err
		}
		return p.str("name"), pm("arn", fmt.Sprintf("arn:aws:kms:%s:%s:%s", m.Region, m.Account, p.str("name")), "targetKeyArn", aws.ToString(d.KeyMetadata.Arn)), nil
	},
	update: func(ctx context.Context, m *Moto, id string, _, new props) (resource.PropertyMap, error) {
		_, err := m.kms.UpdateAlias(ctx, &kms.UpdateAliasInput{AliasName: aws.String(id), TargetKeyId: new.sptr("targetKeyId")})
		return nil, err
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.kms.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String(id)})
		return err
	},
})

func iamTags(t map[string]string) []iamtypes.Tag {
	return tagList(t, func(k, v *string) iamtypes.Tag { return iamtypes.Tag{Key: k, Value: v} })
}

var _ = register("aws:iam/role:Role", handler{source: "internal/service/iam/role.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		in := &iam.CreateRoleInput{RoleName: p.sptr("name"), Path: p.sptr("path"), AssumeRolePolicyDocument: p.sptr("assumeRolePolicy"),
			Description: p.sptr("description"), PermissionsBoundary: p.sptr("permissionsBoundary"), Tags: iamTags(m.tags(p))}
		if p.has("maxSessionDuration") {
			in.MaxSessionDuration = aws.Int32(p.num("maxSessionDuration"))
		}
		out, err := m.iam.CreateRole(ctx, in)
		if err != nil {
			return "", nil, err
		}
		r := out.Role
		return aws.ToString(r.RoleName), pm("arn", aws.ToString(r.Arn), "uniqueId", aws.ToString(r.RoleId)), nil
	},
	read: func(ctx context.Context, m *Moto, id string, _ props) (resource.PropertyMap, error) {
		out, err := m.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(id)})
		if err != nil {
			return nil, gone(err, "NoSuchEntity")
		}
		doc, _ := url.QueryUnescape(aws.ToString(out.Role.AssumeRolePolicyDocument))
		return pm("assumeRolePolicy", doc), nil
	},
	update: func(ctx context.Context, m *Moto, id string, old, new props) (resource.PropertyMap, error) {
		if !jsonEqual(old.str("assumeRolePolicy"), new.str("assumeRolePolicy")) {
			if _, err := m.iam.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String(id), PolicyDocument: new.sptr("assumeRolePolicy")}); err != nil {
				return nil, err
			}
		}
		in := &iam.UpdateRoleInput{RoleName: aws.String(id), Description: new.sptr("description")}
		if new.has("maxSessionDuration") {
			in.MaxSessionDuration = aws.Int32(new.num("maxSessionDuration"))
		}
		if _, err := m.iam.UpdateRole(ctx, in); err != nil {
			return nil, err
		}
		if t := iamTags(m.tags(new)); len(t) > 0 {
			if _, err := m.iam.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String(id), Tags: t}); err != nil {
				return nil, err
			}
		}
		return nil, nil
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.iam.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(id)})
		return err
	},
})

var _ = register("aws:iam/rolePolicy:RolePolicy", handler{source: "internal/service/iam/role_policy.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		_, err := m.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: p.sptr("role"), PolicyName: p.sptr("name"), PolicyDocument: p.sptr("policy")})
		return p.str("role") + ":" + p.str("name"), nil, err
	},
	read: func(ctx context.Context, m *Moto, _ string, p props) (resource.PropertyMap, error) {
		out, err := m.iam.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: p.sptr("role"), PolicyName: p.sptr("name")})
		if err != nil {
			return nil, gone(err, "NoSuchEntity")
		}
		doc, _ := url.QueryUnescape(aws.ToString(out.PolicyDocument))
		if jsonEqual(doc, p.str("policy")) {
			doc = p.str("policy") // the same policy, as the program writes it
		}
		return pm("policy", doc), nil
	},
	update: func(ctx context.Context, m *Moto, _ string, _, new props) (resource.PropertyMap, error) {
		_, err := m.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: new.sptr("role"), PolicyName: new.sptr("name"), PolicyDocument: new.sptr("policy")})
		return nil, err
	},
	delete: func(ctx context.Context, m *Moto, _ string, p props) error {
		_, err := m.iam.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: p.sptr("role"), PolicyName: p.sptr("name")})
		return err
	},
})

var _ = register("aws:iam/rolePolicyAttachment:RolePolicyAttachment", handler{source: "internal/service/iam/role_policy_attachment.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		_, err := m.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: p.sptr("role"), PolicyArn: p.sptr("policyArn")})
		return fmt.Sprintf("%s-%08x", p.str("role"), crc32.ChecksumIEEE([]byte(p.str("policyArn")))), nil, err
	},
	delete: func(ctx context.Context, m *Moto, _ string, p props) error {
		_, err := m.iam.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: p.sptr("role"), PolicyArn: p.sptr("policyArn")})
		return err
	},
})

var _ = register("aws:iam/instanceProfile:InstanceProfile", handler{source: "internal/service/iam/instance_profile.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		out, err := m.iam.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: p.sptr("name"), Path: p.sptr("path"), Tags: iamTags(m.tags(p))})
		if err != nil {
			return "", nil, err
		}
		name := aws.ToString(out.InstanceProfile.InstanceProfileName)
		if role := p.str("role"); role != "" {
			if _, err := m.iam.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String(name), RoleName: aws.String(role)}); err != nil {
				return name, nil, err
			}
		}
		return name, pm("arn", aws.ToString(out.InstanceProfile.Arn), "uniqueId", aws.ToString(out.InstanceProfile.InstanceProfileId)), nil
	},
	update: func(ctx context.Context, m *Moto, id string, old, new props) (resource.PropertyMap, error) {
		if o, n := old.str("role"), new.str("role"); o != n {
			if o != "" {
				if _, err := m.iam.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: aws.String(id), RoleName: aws.String(o)}); err != nil {
					return nil, err
				}
			}
			if n != "" {
				if _, err := m.iam.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String(id), RoleName: aws.String(n)}); err != nil {
					return nil, err
				}
			}
		}
		return nil, nil
	},
	delete: func(ctx context.Context, m *Moto, id string, p props) error {
		if role := p.str("role"); role != "" {
			if _, err := m.iam.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: aws.String(id), RoleName: aws.String(role)}); err != nil && !notFound(err, "NoSuchEntity") {
				return err
			}
		}
		_, err := m.iam.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String(id)})
		return err
	},
})

// The service-linked role's id is its ARN (service_linked_role.go).
var _ = register("aws:iam/serviceLinkedRole:ServiceLinkedRole", handler{source: "internal/service/iam/service_linked_role.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		out, err := m.iam.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: p.sptr("awsServiceName"), Description: p.sptr("description"), CustomSuffix: p.sptr("customSuffix")})
		if err != nil {
			return "", nil, err
		}
		r := out.Role
		return aws.ToString(r.Arn), pm("arn", aws.ToString(r.Arn), "name", aws.ToString(r.RoleName), "path", aws.ToString(r.Path), "uniqueId", aws.ToString(r.RoleId)), nil
	},
	read: func(ctx context.Context, m *Moto, id string, _ props) (resource.PropertyMap, error) {
		name := id[strings.LastIndex(id, "/")+1:]
		out, err := m.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
		if err != nil {
			return nil, gone(err, "NoSuchEntity")
		}
		svc := strings.Split(aws.ToString(out.Role.Path), "/")
		r := pm("arn", aws.ToString(out.Role.Arn), "name", name, "path", aws.ToString(out.Role.Path), "description", aws.ToString(out.Role.Description),
			"uniqueId", aws.ToString(out.Role.RoleId))
		if len(svc) > 2 {
			r["awsServiceName"] = resource.NewProperty(svc[2]) // /aws-service-role/<service>/
		}
		return r, nil
	},
	update: func(ctx context.Context, m *Moto, id string, _, new props) (resource.PropertyMap, error) {
		_, err := m.iam.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String(id[strings.LastIndex(id, "/")+1:]), Description: new.sptr("description")})
		return nil, err
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.iam.DeleteServiceLinkedRole(ctx, &iam.DeleteServiceLinkedRoleInput{RoleName: aws.String(id[strings.LastIndex(id, "/")+1:])})
		return err
	},
})

func passwordPolicy(ctx context.Context, m *Moto, p props) error {
	_, err := m.iam.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength: aws.Int32(p.num("minimumPasswordLength")), MaxPasswordAge: aws.Int32(p.num("maxPasswordAge")),
		PasswordReusePrevention: aws.Int32(p.num("passwordReusePrevention")), RequireLowercaseCharacters: p.flag("requireLowercaseCharacters"),
		RequireUppercaseCharacters: p.flag("requireUppercaseCharacters"), RequireNumbers: p.flag("requireNumbers"), RequireSymbols: p.flag("requireSymbols"),
		AllowUsersToChangePassword: p.flag("allowUsersToChangePassword"), HardExpiry: aws.Bool(p.flag("hardExpiry"))})
	return err
}

var _ = register("aws:iam/accountPasswordPolicy:AccountPasswordPolicy", handler{source: "internal/service/iam/account_password_policy.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		return "iam-account-password-policy", nil, passwordPolicy(ctx, m, p)
	},
	read: func(ctx context.Context, m *Moto, _ string, _ props) (resource.PropertyMap, error) {
		out, err := m.iam.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
		if err != nil {
			return nil, gone(err, "NoSuchEntity")
		}
		return pm("minimumPasswordLength", float64(aws.ToInt32(out.PasswordPolicy.MinimumPasswordLength))), nil
	},
	update: func(ctx context.Context, m *Moto, _ string, _, new props) (resource.PropertyMap, error) {
		return nil, passwordPolicy(ctx, m, new)
	},
	delete: func(ctx context.Context, m *Moto, _ string, _ props) error {
		_, err := m.iam.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{})
		return err
	},
})

func logRetention(ctx context.Context, m *Moto, name string, p props) error {
	if d := p.num("retentionInDays"); d > 0 {
		_, err := m.logs.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(name), RetentionInDays: aws.Int32(d)})
		return err
	}
	_, err := m.logs.DeleteRetentionPolicy(ctx, &cloudwatchlogs.DeleteRetentionPolicyInput{LogGroupName: aws.String(name)})
	return err
}

var _ = register("aws:cloudwatch/logGroup:LogGroup", handler{source: "internal/service/logs/group.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		name := p.str("name")
		if _, err := m.logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(name), KmsKeyId: p.sptr("kmsKeyId"), Tags: m.tags(p)}); err != nil {
			return "", nil, err
		}
		if p.num("retentionInDays") > 0 {
			if err := logRetention(ctx, m, name, p); err != nil {
				return name, nil, err
			}
		}
		return name, pm("arn", fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", m.Region, m.Account, name)), nil
	},
	read: func(ctx context.Context, m *Moto, id string, _ props) (resource.PropertyMap, error) {
		out, err := m.logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(id)})
		if err != nil {
			return nil, err
		}
		for _, g := range out.LogGroups {
			if aws.ToString(g.LogGroupName) == id {
				return pm("retentionInDays", float64(aws.ToInt32(g.RetentionInDays)), "kmsKeyId", aws.ToString(g.KmsKeyId)), nil
			}
		}
		return nil, errGone
	},
	update: func(ctx context.Context, m *Moto, id string, old, new props) (resource.PropertyMap, error) {
		if old.num("retentionInDays") != new.num("retentionInDays") {
			if err := logRetention(ctx, m, id, new); err != nil {
				return nil, err
			}
		}
		if o, n := old.str("kmsKeyId"), new.str("kmsKeyId"); o != n {
			var err error
			if n == "" {
				_, err = m.logs.DisassociateKmsKey(ctx, &cloudwatchlogs.DisassociateKmsKeyInput{LogGroupName: aws.String(id)})
			} else {
				_, err = m.logs.AssociateKmsKey(ctx, &cloudwatchlogs.AssociateKmsKeyInput{LogGroupName: aws.String(id), KmsKeyId: aws.String(n)})
			}
			if err != nil {
				return nil, err
			}
		}
		_, err := m.logs.TagResource(ctx, &cloudwatchlogs.TagResourceInput{ResourceArn: aws.String(fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", m.Region, m.Account, id)), Tags: m.tags(new)})
		return nil, err
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.logs.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String(id)})
		return err
	},
})

// terraform-provider-aws internal/service/logs/resource_policy.go: the
// policy's name is its id; PutResourcePolicy creates and replaces it.
func putLogResourcePolicy(ctx context.Context, m *Moto, p props) error {
	_, err := m.logs.PutResourcePolicy(ctx, &cloudwatchlogs.PutResourcePolicyInput{PolicyName: p.sptr("policyName"), PolicyDocument: p.sptr("policyDocument")})
	return err
}

var _ = register("aws:cloudwatch/logResourcePolicy:LogResourcePolicy", handler{source: "internal/service/logs/resource_policy.go",
	create: func(ctx context.Context, m *Moto, p props) (string, resource.PropertyMap, error) {
		return p.str("policyName"), nil, putLogResourcePolicy(ctx, m, p)
	},
	read: func(ctx context.Context, m *Moto, id string, _ props) (resource.PropertyMap, error) {
		out, err := m.logs.DescribeResourcePolicies(ctx, &cloudwatchlogs.DescribeResourcePoliciesInput{})
		if err != nil {
			return nil, err
		}
		for _, rp := range out.ResourcePolicies {
			if aws.ToString(rp.PolicyName) == id {
				return pm("policyDocument", aws.ToString(rp.PolicyDocument)), nil
			}
		}
		return nil, errGone
	},
	update: func(ctx context.Context, m *Moto, _ string, _, new props) (resource.PropertyMap, error) {
		return nil, putLogResourcePolicy(ctx, m, new)
	},
	delete: func(ctx context.Context, m *Moto, id string, _ props) error {
		_, err := m.logs.DeleteResourcePolicy(ctx, &cloudwatchlogs.DeleteResourcePolicyInput{PolicyName: aws.String(id)})
		return err
	},
})
